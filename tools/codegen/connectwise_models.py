"""Generate ``msplink.connectwise.models`` from the ConnectWise Manage 2025.16 objects schema.

Usage (from the repository root)::

    python tools/codegen/connectwise_models.py            # (re)write the generated modules
    python tools/codegen/connectwise_models.py --check    # exit 1 and name the stale files, write nothing
    python tools/codegen/connectwise_models.py --refresh-schema PATH
        # re-extract tools/codegen/connectwise/schema-2025.16.json from the full objects schema
        # (../shared/apis/connectwise/connectwise-manage-2025.16-objects.schema.json)

``nox -s codegen -- --check`` runs the check; ``tests/connectwise/test_codegen.py`` runs it in the suite.

Inputs (``tools/codegen/connectwise/``):

* ``schema-2025.16.json``: the objects msplink models, copied verbatim from the amp-labs extract of the
  official "Connectwise Manage Public Endpoints" OpenAPI document 2025.16 (provenance: SOURCE.md next to
  the full file);
* ``child-objects.json``: the child collections that extract leaves out (sites, communication items,
  agreement additions, invoice payments, purchase order line items, board statuses), same shape;
* the tables below: which object becomes which class, and what the extract lost from the OpenAPI
  document (``format: date-time`` and array item types).

Pipeline: ``load_classes()`` turns the inputs into a small IR (:class:`ClassSpec` / :class:`FieldSpec`:
class name, area, wire name, Python annotation, kind); emitters render the IR only (``emit_area``,
``emit_wire_table``, ``emit_package``). A further emitter, e.g. per-class cattrs structure hooks for the
hot path, is added by writing one more ``emit_*`` function over the same IR and listing its output in
``render_all()``.

Field naming: the Python name is ``snake(wire)``; the runtime naming rule is ``camel(name)``
(``msplink.connectwise.models._base``); wherever ``camel(snake(wire)) != wire`` the class gets an entry
in the generated exceptions table (``models/_wire.py``).
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INPUTS = Path(__file__).resolve().parent / "connectwise"
SCHEMA = INPUTS / "schema-2025.16.json"
CHILDREN = INPUTS / "child-objects.json"
PACKAGE = ROOT / "src" / "msplink" / "connectwise" / "models"
GENERATOR = "tools/codegen/connectwise_models.py"
LINE_LENGTH = 110  # pyproject [tool.ruff]: the output is already ruff-formatted

# (class, object key in the schema or child-objects.json, docstring summary). The order is the order in
# the generated modules; the area is the first segment of the object's path.
CLASSES: tuple[tuple[str, str, str], ...] = (
    ("Company", "companies", "A company"),
    ("Contact", "contacts", "A contact"),
    ("CompanySite", "CompanySite", "A company site"),
    ("CommunicationItem", "CommunicationItem", "A contact communication item"),
    ("Agreement", "agreements", "An agreement"),
    ("AgreementAddition", "AgreementAddition", "An agreement addition"),
    ("Invoice", "invoices", "An invoice"),
    ("InvoicePayment", "InvoicePayment", "A payment applied to an invoice"),
    ("BillingTerm", "billingTerms", "Billing terms"),
    ("TaxCode", "taxCodes", "A tax code"),
    ("TimeEntry", "time/entries", "A time entry"),
    ("Ticket", "service/tickets", "A service ticket"),
    ("Board", "service/boards", "A service board"),
    ("BoardStatus", "BoardStatus", "A status of a service board"),
    ("Priority", "priorities", "A ticket priority"),
    ("Project", "projects", "A project"),
    ("PurchaseOrder", "purchaseorders", "A purchase order"),
    ("PurchaseOrderLineItem", "PurchaseOrderLineItem", "A purchase order line item"),
    ("CatalogItem", "catalog", "A catalog item"),
    ("ProductItem", "products", "A product item"),
    ("Opportunity", "sales/opportunities", "An opportunity"),
    ("Member", "system/members", "A member"),
    ("Callback", "callbacks", "A callback registration"),
)

AREAS: Mapping[str, str] = {
    "company": "companies, contacts and their sites and communication items",
    "finance": "agreements, invoices, billing terms and tax codes",
    "service": "service tickets, boards, statuses and priorities",
    "procurement": "purchase orders, catalog and product items",
    "time": "time entries",
    "project": "projects",
    "sales": "opportunities",
    "system": "members and callback registrations",
}

# The OpenAPI document types these ``string`` properties ``format: date-time``; the extract dropped the
# format. Other date-like strings (``dateResolved``, ``birthDay``, ``lastLogin`` ...) are free text.
DATE_TIME_FIELDS: frozenset[str] = frozenset(
    {
        "actualEnd", "actualStart", "anniversary", "billStartDate", "billingStartDate", "cancelDate",
        "cancelledDate", "closedDate", "date", "dateAcquired", "dateBecameLead", "dateCanceled",
        "dateCancelled", "dateClosed", "dateDeleted", "dateEntered", "dateReceived", "dueDate",
        "effectiveDate", "endDate", "escalationStartDateUTC", "estimatedEnd", "estimatedStart",
        "estimatedStartDate", "expectedCloseDate", "expectedShipDate", "hireDate", "inactiveDate",
        "nextInvoiceDate", "paymentDate", "pipelineChangeDate", "poDate", "purchaseDate", "requiredDate",
        "resolutionGoalUTC", "resplanGoalUTC", "respondByGoalUTC", "scheduledEnd", "scheduledStart",
        "shipDate", "shipmentDate", "startDate", "subDateAccepted", "timeEnd", "timeSheetStartDate",
        "timeStart", "vendorInvoiceDate",
    }
)  # fmt: skip

# Array item types (the extract says ``array`` only).
ARRAY_ITEMS: Mapping[str, str] = {
    "communicationItems": "CommunicationItem",
    "customFields": "CustomFieldValue",
    "excludedProjectBoardIds": "int",
    "excludedServiceBoardIds": "int",
    "expenseTypeIds": "int",
    "integratorTags": "str",
    "memberPersonas": "Any",
    "productTypeIds": "int",
    "serialNumberIds": "int",
    "serialNumbers": "str",
    "serviceBoardTeamIds": "int",
    "teams": "Reference",
    "typeIds": "int",
    "types": "Reference",
    "workRoleIds": "int",
}

# Reference schemas with their own model (REFERENCE §7); every other ``*Reference`` is a ``Reference``.
SPECIAL_REFERENCES = frozenset(
    {"AgreementReference", "CurrencyReference", "InvoiceReference", "PriorityReference", "TicketReference"}
)
SCALARS: Mapping[str, str] = {
    "string": "str",
    "integer": "int",
    "number": "Decimal",
    "boolean": "bool",
    "object": "Mapping[str, Any]",
}
COMMON = ("Reference", "CustomFieldValue", *sorted(SPECIAL_REFERENCES))
LIFTED = frozenset({"_info"})  # the Entity base carries _info (and lifts lastUpdated / updatedBy)


@dataclass(frozen=True)
class FieldSpec:
    """One attribute: snake name, wire name, the Python type (without ``| None``) and its kind."""

    name: str
    wire: str
    type: str
    kind: str  # scalar, datetime, reference, array, object


@dataclass(frozen=True)
class ClassSpec:
    """One entity class (its ``<Name>Update`` twin is derived from it)."""

    name: str
    area: str
    path: str
    summary: str
    fields: tuple[FieldSpec, ...]

    @property
    def update_name(self) -> str:
        """The partial-update class."""
        return self.name + "Update"

    @property
    def writable(self) -> tuple[FieldSpec, ...]:
        """The fields a partial update may set (everything but ``id``)."""
        return tuple(f for f in self.fields if f.name != "id")


def snake(wire: str) -> str:
    """``invoiceCCEmailAddress`` -> ``invoice_cc_email_address``; ``addressLine1`` -> ``address_line1``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", wire)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text).lower()


def camel(name: str) -> str:
    """The runtime naming rule (mirrors ``msplink.connectwise.models._base.camel``)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _field(wire: str, spec: Mapping[str, Any]) -> FieldSpec:
    provider = str(spec["providerType"])
    if provider == "string" and wire in DATE_TIME_FIELDS:
        return FieldSpec(snake(wire), wire, "datetime", "datetime")
    if provider.endswith("Reference"):
        return FieldSpec(
            snake(wire), wire, provider if provider in SPECIAL_REFERENCES else "Reference", "reference"
        )
    if provider == "array":
        if wire not in ARRAY_ITEMS:
            raise SystemExit(f"codegen: no item type for the array {wire!r}: add it to ARRAY_ITEMS")
        return FieldSpec(snake(wire), wire, f"tuple[{ARRAY_ITEMS[wire]}, ...]", "array")
    if provider not in SCALARS:
        raise SystemExit(f"codegen: unknown providerType {provider!r} of {wire!r}")
    return FieldSpec(snake(wire), wire, SCALARS[provider], "object" if provider == "object" else "scalar")


def load_classes(schema: Mapping[str, Any], children: Mapping[str, Any]) -> list[ClassSpec]:
    """The IR: one :class:`ClassSpec` per entry of :data:`CLASSES` (``id`` first, then by wire name)."""
    objects = {**schema, **{k: v for k, v in children.items() if not k.startswith("$")}}
    classes: list[ClassSpec] = []
    for name, key, summary in CLASSES:
        obj = objects[key]
        wires = sorted(w for w in obj["fields"] if w not in LIFTED and w != "id")
        fields = [FieldSpec("id", "id", "int", "scalar")] + [_field(w, obj["fields"][w]) for w in wires]
        names = [f.name for f in fields]
        bad = [n for n in names if keyword.iskeyword(n) or not n.isidentifier() or names.count(n) > 1]
        if bad:
            raise SystemExit(f"codegen: {name} has unusable attribute names {sorted(set(bad))}")
        path = re.sub(r"\{\w+\}", "{id}", obj["path"])
        classes.append(ClassSpec(name, path.split("/")[1], path, summary, tuple(fields)))
    return classes


def wire_exceptions(classes: Iterable[ClassSpec]) -> dict[str, dict[str, str]]:
    """Per class, the fields whose wire name is not ``camel(name)``."""
    table: dict[str, dict[str, str]] = {}
    for cls in classes:
        odd = {f.name: f.wire for f in cls.fields if camel(f.name) != f.wire}
        if odd:
            table[cls.name] = odd
            table[cls.update_name] = {k: v for k, v in odd.items() if k != "id"}
    return dict(sorted(table.items()))


# ------------------------------------------------------------------------------------------ emitters

HEADER = "Generated by {generator} from the ConnectWise Manage 2025.16 objects schema: do not edit."
_ENTITY_DOC = "Every field is optional (the API omits nulls); unknown fields stay in ``raw``."
_UPDATE_DOC = "A partial update of a {name} (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."
_DECORATOR = "@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)"


def _header(summary: str) -> list[str]:
    return [
        f'"""{summary}',
        "",
        HEADER.format(generator=GENERATOR),
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]


def _imports(classes: Sequence[ClassSpec]) -> list[str]:
    types = " ".join(f.type for c in classes for f in c.fields)
    stdlib = []
    if "Mapping[" in types:
        stdlib.append("from collections.abc import Mapping")
    if "datetime" in types:
        stdlib.append("from datetime import datetime")
    if "Decimal" in types:
        stdlib.append("from decimal import Decimal")
    if re.search(r"\bAny\b", types):
        stdlib.append("from typing import Any")
    common = sorted(name for name in COMMON if re.search(rf"\b{name}\b", types))
    lines = [*stdlib, *([""] if stdlib else []), "import attrs", ""]
    lines += [
        "from msplink._core import UNSET, Maybe",
        "from msplink.connectwise.models._base import Entity, Update, wire_names",
    ]
    if common:
        lines += _import_line("_common", common)
    return lines


def _import_line(module: str, names: Sequence[str]) -> list[str]:
    """One ``from ... import`` statement as ruff formats it (parenthesised, one name a line, if long)."""
    head = f"from msplink.connectwise.models.{module} import "
    if len(head) + len(", ".join(names)) <= LINE_LENGTH:
        return [head + ", ".join(names)]
    return [head + "(", *(f"    {n}," for n in names), ")"]


def _all(names: Iterable[str]) -> list[str]:
    return ["__all__ = [", *(f'    "{name}",' for name in sorted(names)), "]"]


def emit_area(area: str, classes: Sequence[ClassSpec]) -> str:
    """The module ``models/_<area>.py``: each entity and its partial update."""
    lines = _header(f"ConnectWise wire models: {AREAS[area]} (``/{area}/...``).")
    lines += _imports(classes)
    lines += ["", *_all(n for c in classes for n in (c.name, c.update_name))]
    for cls in classes:
        lines += ["", "", _DECORATOR, f"class {cls.name}(Entity):"]
        lines += [f'    """{cls.summary} (``{cls.path}``).', "", f"    {_ENTITY_DOC}", '    """', ""]
        lines += [f"    {f.name}: {f.type} | None = None" for f in cls.fields]
        lines += ["", "", _DECORATOR, f"class {cls.update_name}(Update):"]
        lines += [f'    """{_UPDATE_DOC.format(name=cls.name)}"""', ""]
        lines += [f"    {f.name}: Maybe[{f.type}] = UNSET" for f in cls.writable]
    return "\n".join(lines) + "\n"


def emit_wire_table(classes: Sequence[ClassSpec]) -> str:
    """The module ``models/_wire.py``: the exceptions to the camelCase naming rule."""
    lines = _header(
        "Wire names that do not follow the camelCase rule, per class (``customerPO``, ``invoiceCCEmailAddress`` ...)."
    )
    lines += ["from collections.abc import Mapping", "", '__all__ = ["WIRE_EXCEPTIONS"]', ""]
    lines += ["WIRE_EXCEPTIONS: Mapping[str, Mapping[str, str]] = {"]
    for name, odd in wire_exceptions(classes).items():
        pairs = [f'"{k}": "{v}"' for k, v in sorted(odd.items())]
        line = f'    "{name}": {{{", ".join(pairs)}}},'
        if len(line) <= LINE_LENGTH:
            lines.append(line)
        else:
            lines += [f'    "{name}": {{', *(f"        {pair}," for pair in pairs), "    },"]
    lines += [
        "}",
        '"""Class name -> {attribute: wire name} where ``camel(attribute)`` is not the wire name."""',
    ]
    return "\n".join(lines) + "\n"


def emit_package(classes: Sequence[ClassSpec]) -> str:
    """``models/__init__.py``: every public class, re-exported from the area modules."""
    doc = [
        '"""ConnectWise Manage wire models (REST API 3.0, model version 2025.16).',
        "",
        "Frozen attrs classes with snake_case attributes; the converter maps them to the camelCase wire names",
        "(``account_number`` <-> ``accountNumber``; the few exceptions are tabled per class). Parsing is",
        "lenient: every field is optional (the API omits nulls), unknown fields are tolerated, and the",
        "untouched payload is kept in ``model.raw`` (excluded from ``==`` and ``repr``). Money and quantities",
        "are ``Decimal``; datetimes are timezone-aware; ``_info.lastUpdated`` is lifted to ``last_updated``.",
        "",
        "``<Model>Update`` classes are partial updates: ``UNSET`` leaves a field alone, ``None`` clears it.",
        "They become ConnectWise's JSON Patch operation lists (references and custom fields replaced whole).",
        "",
        "Areas: " + ", ".join(f"``_{area}``" for area in AREAS) + ".",
        "",
        HEADER.format(generator=GENERATOR),
        '"""',
        "",
    ]
    imports = [
        ("_base", ["Entity", "Model", "Update"]),
        ("_common", sorted(["CompanyInfo", *COMMON])),
        *(
            (f"_{area}", sorted(n for c in classes if c.area == area for n in (c.name, c.update_name)))
            for area in sorted(AREAS)
        ),
    ]
    lines = list(doc)
    exported: list[str] = []
    for module, names in imports:
        exported += names
        lines += _import_line(module, names)
    lines += ["", *_all(exported)]
    return "\n".join(lines) + "\n"


def render_all(classes: Sequence[ClassSpec]) -> dict[Path, str]:
    """Every generated file and its text."""
    files = {PACKAGE / "__init__.py": emit_package(classes), PACKAGE / "_wire.py": emit_wire_table(classes)}
    for area in AREAS:
        members = [c for c in classes if c.area == area]
        files[PACKAGE / f"_{area}.py"] = emit_area(area, members)
    return files


# ------------------------------------------------------------------------------------------ driver


def refresh_schema(full: Path) -> None:
    """Copy the objects named in :data:`CLASSES` verbatim from the full objects schema."""
    objects = json.loads(full.read_text(encoding="utf-8"))["modules"]["root"]["objects"]
    wanted = sorted({key for _, key, _ in CLASSES if key in objects})
    subset = {key: objects[key] for key in wanted}
    SCHEMA.write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, or with ``--check`` compare, the models; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if a generated file is stale")
    parser.add_argument("--refresh-schema", type=Path, help="re-extract the schema subset from this file")
    args = parser.parse_args(argv)
    if args.refresh_schema is not None:
        refresh_schema(args.refresh_schema)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    children = json.loads(CHILDREN.read_text(encoding="utf-8"))
    files = render_all(load_classes(schema, children))
    stale = [
        path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run python {GENERATOR})", file=sys.stderr)  # noqa: T201
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
