"""``Org``: the Salesforce sandbox's state — object metadata, records, validation and the external-id index.

The HTTP modules (``_rest``, ``_composite``, ``_bulk``) and the seeding module write through the
methods here; nothing else touches the tables.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from msplink.sandbox.salesforce._common import (
    Injections,
    RecordFailure,
    abort,
    eq,
    id18,
    norm,
)
from msplink.sandbox.salesforce._results import Cursor, Query, Renderer, compile_renderer, field_path
from msplink.sandbox.salesforce._schema import (
    STAGES,
    FieldSpec,
    ObjectSpec,
    name_object,
    standard_objects,
)
from msplink.sandbox.salesforce._soql import ParsedQuery, SoqlError, parse_soql

__all__ = ["Org", "OrgSnapshot"]

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TEXT_TYPES = frozenset(
    {"string", "textarea", "picklist", "multipicklist", "combobox", "email", "phone", "url", "id"}
)
_SYSTEM_FIELDS = frozenset(
    {
        "Id",
        "IsDeleted",
        "CreatedDate",
        "CreatedById",
        "LastModifiedDate",
        "LastModifiedById",
        "SystemModstamp",
        "OwnerId",
    }
)

OrgSnapshot = tuple[
    dict[str, dict[str, dict[str, Any]]], list[tuple[str, str, datetime]], int, dict[str, int]
]
"""What an all-or-none call restores: tables, the deletion log, the id counter, the autonumbers."""

Row = dict[str, Any]
Resolver = Callable[[Row, str], tuple[Any, str]]


class Org:
    """One Salesforce org in memory.

    Attributes:
        objects: Object metadata by lower-cased API name.
        data: Records by lower-cased object name, then id (deleted records stay, ``IsDeleted`` true).
        deleted_log: ``(object, id, when)`` of every deletion (getDeleted).
        counter: The shared sequence behind record ids, query locators and job ids.
        autonumbers: The last ``CaseNumber`` / ``ContractNumber`` per object.
        user: The user the current request acts as (set per request by the HTTP layer).
        version: The API version of the current request (record URLs name it).
        integration_user_id: The integration user every token acts as by default.
        injections: Pending injected errors (per-record ones fail writes here).
        name_spec: The ``Name`` object polymorphic relationships answer as.
        cursors: Open query cursors by locator (parents' ``0r8...``, child sets' ``01g...``).
        child_batch_size: How many records of a child set a query page holds inline; the rest follow
            through the set's own ``nextRecordsUrl`` (real orgs vary: 199 and 499 are reported).
    """

    def __init__(self, *, wall: Callable[[], datetime], injections: Injections | None = None) -> None:
        self.objects: dict[str, ObjectSpec] = standard_objects()
        self.data: dict[str, dict[str, Row]] = {name: {} for name in self.objects}
        self.index: dict[tuple[str, str], dict[str, set[str]]] = {}
        self.deleted_log: list[tuple[str, str, datetime]] = []
        self.counter = 0
        self.autonumbers: dict[str, int] = {}
        self.user: str | None = None
        self.version = "62.0"
        self.integration_user_id: str | None = None
        self.injections = injections or Injections()
        self.name_spec = name_object()
        self.cursors: dict[str, Cursor] = {}
        self.child_batch_size = 200
        self._wall = wall

    # ---------------------------------------------------------------------------------- clock

    def wall(self) -> datetime:
        """The aware wall-clock time (as the clock gives it)."""
        return self._wall()

    def now(self) -> datetime:
        """UTC now, to the second (record timestamps)."""
        return self._wall().astimezone(timezone.utc).replace(microsecond=0)

    def today(self) -> date:
        """UTC today (SOQL date literals)."""
        return self._wall().astimezone(timezone.utc).date()

    def next_number(self) -> int:
        """The next value of the org's shared sequence."""
        self.counter += 1
        return self.counter

    # ------------------------------------------------------------------------------- metadata

    def spec(self, sobject: str) -> ObjectSpec:
        """The metadata of an object (any case).

        Raises:
            Abort: 404 ``NOT_FOUND`` for an unknown object.
        """
        spec = self.objects.get(sobject.lower())
        if spec is None:
            raise abort(
                404,
                "NOT_FOUND",
                f"The requested resource does not exist: sObject type '{sobject}' is not supported.",
            )
        return spec

    def table(self, sobject: str) -> dict[str, Row]:
        """The live table of an object (id -> row)."""
        return self.data[self.spec(sobject).name.lower()]

    def add_field(self, sobject: str, name: str, *, type: str = "string", **options: Any) -> None:
        """Add a custom field (``picklist=``, ``restricted=``, ``external_id=``, ``unique=``, ``required=``)."""
        if "picklist" in options:
            options["picklist"] = tuple(options["picklist"])
        if type == "picklist" and "picklist" not in options:
            options["picklist"] = ()
        self.spec(sobject).add(FieldSpec(name=name, type=type, custom=name.endswith("__c"), **options))
        self.rebuild_index()

    def add_object(self, name: str, *, key_prefix: str = "a00", fields: Iterable[FieldSpec] = ()) -> None:
        """Add a custom object (``Project__c``) with system fields, ``Name`` and the given fields."""
        spec = ObjectSpec(name=name, key_prefix=key_prefix, custom=True)
        base = standard_objects()["account"]
        for f in base.fields.values():
            if f.name in _SYSTEM_FIELDS:
                # A queue can own a custom object's records (REFERENCE.md §15).
                spec.add(attrs.evolve(f, reference_to=("Group", "User")) if f.name == "OwnerId" else f)
        spec.add(FieldSpec(name="Name", length=80))
        for f in fields:
            spec.add(f)
        self.objects[name.lower()] = spec
        self.data[name.lower()] = {}

    def child_relationships(self, parent: ObjectSpec) -> dict[str, tuple[ObjectSpec, FieldSpec]]:
        """Parent-to-child relationships of an object, by lower-cased name (``contacts``)."""
        out: dict[str, tuple[ObjectSpec, FieldSpec]] = {}
        for child in self.objects.values():
            for f in child.fields.values():
                if f.child_relationship and parent.name in f.reference_to:
                    out.setdefault(f.child_relationship.lower(), (child, f))
        return out

    # -------------------------------------------------------------------------------- reading

    def new_id(self, spec: ObjectSpec) -> str:
        """A new 18-character id with the object's key prefix."""
        n, digits = self.next_number(), ""
        while n:
            n, r = divmod(n, 62)
            digits = _B62[r] + digits
        return id18(spec.key_prefix + "SB" + digits.rjust(10, "0"))

    def find(self, record_id: str) -> tuple[ObjectSpec, Row] | None:
        """The object and row of an id (15 or 18 characters), deleted or not."""
        if len(record_id) == 18:
            for name, spec in self.objects.items():
                if spec.key_prefix == record_id[:3]:
                    row = self.data.get(name, {}).get(record_id)
                    if row is not None:
                        return spec, row
        for name, table in self.data.items():
            row = table.get(record_id) or (table.get(id18(record_id)) if len(record_id) == 15 else None)
            if row is not None:
                return self.objects[name], row
        return None

    def type_name(self, spec: ObjectSpec, row: Mapping[str, Any]) -> str:
        """What ``Name.Type`` says of a record: its object, or a group's type (``Queue``)."""
        if spec.name == "Group":
            return str(row.get("Type") or "Regular")
        return spec.name

    def name_view(self, spec: ObjectSpec, row: Mapping[str, Any]) -> Row:
        """A record seen through the ``Name`` object of a polymorphic relationship."""
        view: Row = {f.name: row.get(f.name) for f in self.name_spec.fields.values()}
        view["Type"] = self.type_name(spec, row)
        return view

    def row(self, spec: ObjectSpec, record_id: str) -> Row:
        """A live row of an object.

        Raises:
            RecordFailure: Malformed id, no such record (404) or deleted.
        """
        table = self.data[spec.name.lower()]
        row = table.get(record_id) or (table.get(id18(record_id)) if len(record_id) == 15 else None)
        if row is None:
            if len(record_id) not in (15, 18):
                raise RecordFailure(
                    "MALFORMED_ID", f"Id value of incorrect type: {record_id}", ["Id"], status=400
                )
            raise RecordFailure("NOT_FOUND", "The requested resource does not exist", [], status=404)
        if row.get("IsDeleted"):
            raise RecordFailure("ENTITY_IS_DELETED", "entity is deleted", [], status=400)
        return row

    def records(self, sobject: str, *, include_deleted: bool = False) -> list[Row]:
        """Copies of the stored records of an object."""
        rows = self.data[self.spec(sobject).name.lower()].values()
        return [dict(r) for r in rows if include_deleted or not r.get("IsDeleted")]

    def by_external(self, spec: ObjectSpec, field: str, value: str) -> tuple[FieldSpec, list[Row]]:
        """The external-id (or id-lookup) field named ``field`` and the live rows holding ``value``.

        Raises:
            RecordFailure: 404, the field is not an external id.
        """
        f = spec.field(field)
        if f is None or not (f.external_id or f.id_lookup):
            raise RecordFailure(
                "NOT_FOUND",
                f"Provided external ID field does not exist or is not accessible: {field}",
                [],
                status=404,
            )
        return f, self.lookup(spec, f, value)

    # --------------------------------------------------------------------- external-id index

    @staticmethod
    def _indexed(f: FieldSpec) -> bool:
        return f.unique or f.external_id or f.id_lookup

    def lookup(self, spec: ObjectSpec, f: FieldSpec, value: Any) -> list[Row]:
        """Live records whose indexed field equals ``value`` (case-insensitive for text)."""
        table = self.data[spec.name.lower()]
        ids = self.index.get((spec.name.lower(), f.name), {}).get(norm(value), set())
        rows = [table[i] for i in sorted(ids) if i in table]
        return [r for r in rows if not r.get("IsDeleted") and eq(r.get(f.name), value)]

    def index_row(self, spec: ObjectSpec, row: Mapping[str, Any], *, add: bool) -> None:
        """Add a row to (or take it out of) the indexes of its unique and external-id fields."""
        for f in spec.fields.values():
            value = row.get(f.name)
            if value is None or not self._indexed(f):
                continue
            bucket = self.index.setdefault((spec.name.lower(), f.name), {}).setdefault(norm(value), set())
            if add:
                bucket.add(row["Id"])
            else:
                bucket.discard(row["Id"])

    def rebuild_index(self) -> None:
        """Rebuild every index from the tables."""
        self.index = {}
        for name, table in self.data.items():
            for row in table.values():
                self.index_row(self.objects[name], row, add=True)

    # ------------------------------------------------------------------------------ snapshots

    def snapshot(self) -> OrgSnapshot:
        """What an all-or-none call needs to roll back."""
        return (
            {k: {i: dict(r) for i, r in t.items()} for k, t in self.data.items()},
            list(self.deleted_log),
            self.counter,
            dict(self.autonumbers),
        )

    def restore(self, snap: OrgSnapshot) -> None:
        """Roll back to a :meth:`snapshot`."""
        self.data, self.deleted_log, self.counter, self.autonumbers = (
            copy.copy(snap[0]),
            snap[1],
            snap[2],
            snap[3],
        )
        self.rebuild_index()

    # ----------------------------------------------------------------------------- validation

    def coerce(self, spec: ObjectSpec, f: FieldSpec, value: Any, *, from_csv: bool = False) -> Any:
        """A written value as stored, checked against the field's type, length and picklist.

        Raises:
            RecordFailure: The value does not fit the field.
        """
        if value is None:
            return None
        t = f.type
        bad = RecordFailure(
            "JSON_PARSER_ERROR" if not from_csv else "INVALID_FIELD",
            f"Cannot deserialize instance of {t} from {type(value).__name__} value {value!r} for field {f.name}",
            [f.name],
        )
        if t in _TEXT_TYPES:
            return self._coerce_text(f, value, bad)
        if t == "reference":
            if not isinstance(value, str) or len(value) not in (15, 18):
                raise RecordFailure(
                    "MALFORMED_ID", f"{f.name}: id value of incorrect type: {value}", [f.name]
                )
            found = self.find(value)
            if (
                found is None
                or found[1].get("IsDeleted")
                or (f.reference_to and found[0].name not in f.reference_to)
                or (found[0].name == "Group" and found[1].get("Type") != "Queue")
            ):
                # Only a queue (a Group of type Queue) can own a record.
                raise RecordFailure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [f.name])
            return found[1]["Id"]
        if t == "boolean":
            if from_csv and isinstance(value, str) and value.lower() in {"true", "false"}:
                return value.lower() == "true"
            if not isinstance(value, bool):
                raise bad
            return value
        if t in {"int", "double", "currency", "percent"}:
            try:
                number = Decimal(value) if isinstance(value, str) and from_csv else value
            except InvalidOperation:
                raise bad from None
            if isinstance(number, bool) or not isinstance(number, (int, Decimal)):
                raise bad
            if t == "int":
                if number != int(number):
                    raise bad
                return int(number)
            return Decimal(number)
        if t == "date":
            return self._coerce_date(f, value, bad)
        if t == "datetime":
            if not isinstance(value, str) or "T" not in value:
                raise bad
            text = value.replace("Z", "+00:00")
            if re.search(r"[+-]\d{4}$", text):
                text = text[:-2] + ":" + text[-2:]
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise bad from None
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        return value

    @staticmethod
    def _coerce_text(f: FieldSpec, value: Any, bad: RecordFailure) -> str:
        if not isinstance(value, str):
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                value = str(value)
            else:
                raise bad
        if len(value) > f.length:
            raise RecordFailure(
                "STRING_TOO_LONG",
                f"{f.name}: data value too large: {value[:20]} (max length={f.length})",
                [f.name],
            )
        if f.type == "picklist" and f.restricted and value not in f.picklist:
            raise RecordFailure(
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                f"{f.label or f.name}: bad value for restricted picklist field: {value}",
                [f.name],
            )
        return str(value)

    @staticmethod
    def _coerce_date(f: FieldSpec, value: Any, bad: RecordFailure) -> date:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise RecordFailure(
                "JSON_PARSER_ERROR",
                f"Cannot deserialize instance of date from VALUE_STRING value {value!r}",
                [f.name],
            )
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise bad from None

    def values_of(
        self, spec: ObjectSpec, body: Mapping[str, Any], *, creating: bool, from_csv: bool = False
    ) -> Row:
        """Validate a write body into stored values (relationship external ids resolved).

        Raises:
            RecordFailure: Unknown or read-only field, or a value that does not fit.
        """
        if not isinstance(body, Mapping):
            raise RecordFailure("JSON_PARSER_ERROR", "Expected a JSON object for the record")
        values: Row = {}
        for key, value in body.items():
            if key == "attributes":
                continue
            f = spec.field(key)
            if f is None:
                ref = spec.relationship(key)
                if ref is not None and isinstance(value, Mapping):
                    values[ref.name] = self._resolve_foreign(ref, value)
                    continue
                raise RecordFailure(
                    "INVALID_FIELD", f"No such column '{key}' on sobject of type {spec.name}", [key]
                )
            if f.readonly:
                if f.name == "Id" and not creating:
                    continue
                raise RecordFailure(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    f"Unable to create/update fields: {f.name}. Please check the security settings of this field "
                    "and verify that it is read/write for your profile or permission set.",
                    [f.name],
                )
            values[f.name] = self.coerce(spec, f, value, from_csv=from_csv)
        return values

    def _resolve_foreign(self, ref: FieldSpec, value: Mapping[str, Any]) -> str:
        keys = [k for k in value if k != "attributes"]
        target = self.objects[(ref.reference_to[0] if ref.reference_to else "Account").lower()]
        if isinstance(value.get("attributes"), Mapping) and value["attributes"].get("type"):
            target = self.spec(str(value["attributes"]["type"]))
        if len(keys) != 1:
            raise RecordFailure(
                "INVALID_FIELD", "A foreign key reference needs exactly one external id field"
            )
        field = target.field(keys[0])
        if field is None or not (field.external_id or field.id_lookup):
            raise RecordFailure("INVALID_FIELD", f"Field {keys[0]} is not an external id on {target.name}")
        lookup = value[keys[0]]
        matches = [
            r
            for r in self.data[target.name.lower()].values()
            if not r.get("IsDeleted") and eq(r.get(field.name), lookup)
        ]
        if not matches:
            raise RecordFailure(
                "INVALID_FIELD",
                f"Foreign key external ID: {lookup} not found for field {field.name} in entity {target.name}",
            )
        return str(matches[0]["Id"])

    def _check_unique(self, spec: ObjectSpec, values: Mapping[str, Any], own_id: str | None) -> None:
        for name, value in values.items():
            f = spec.field(name)
            if f is None or not f.unique or value is None:
                continue
            for row in self.lookup(spec, f, value):
                if row["Id"] != own_id:
                    raise RecordFailure(
                        "DUPLICATE_VALUE",
                        f"duplicate value found: {f.name} duplicates value on record with id: {row['Id']}",
                        [],
                    )

    def _derive(self, spec: ObjectSpec, row: Row, creating: bool) -> None:
        """Formula and system fields the org computes (Name, IsWon, IsClosed, EndDate ...)."""
        name = spec.name
        if name in {"Contact", "Lead", "User"}:
            row["Name"] = " ".join(p for p in (row.get("FirstName"), row.get("LastName")) if p)
        if name == "Opportunity":
            stage = STAGES.get(row.get("StageName") or "", (0, False, False, "Pipeline"))
            row["IsClosed"], row["IsWon"] = stage[1], stage[2]
            row["ForecastCategoryName"] = stage[3]
            if row.get("Probability") is None or creating:
                row["Probability"] = Decimal(stage[0])
        if name == "Case":
            row["IsClosed"] = row.get("Status") == "Closed"
            if row["IsClosed"] and row.get("ClosedDate") is None:
                row["ClosedDate"] = self.now()
            if not row["IsClosed"]:
                row["ClosedDate"] = None
        if name == "Task":
            row["IsClosed"] = row.get("Status") == "Completed"
            row["IsHighPriority"] = row.get("Priority") == "High"
            what = row.get("WhatId")
            found = self.find(what) if what else None
            row["AccountId"] = (
                found[1]["Id"]
                if found and found[0].name == "Account"
                else (found[1].get("AccountId") if found else None)
            )
        if name == "Contract":
            start, term = row.get("StartDate"), row.get("ContractTerm")
            if isinstance(start, date) and isinstance(term, int):
                month = start.month - 1 + term
                year, month = start.year + month // 12, month % 12 + 1
                day = min(start.day, 28)
                row["EndDate"] = date(year, month, day) - timedelta(days=1)
            row["StatusCode"] = {"Activated": "Activated", "In Approval Process": "InApproval"}.get(
                row.get("Status") or "", "Draft"
            )
            if row["StatusCode"] == "Activated" and row.get("ActivatedDate") is None:
                row["ActivatedDate"] = self.now()

    # -------------------------------------------------------------------------------- writing

    def insert(self, spec: ObjectSpec, body: Mapping[str, Any], *, from_csv: bool = False) -> str:
        """Create a record from a write body, with every API validation; returns its id.

        Raises:
            RecordFailure: The body is refused (or a per-record injection fired).
        """
        self.injections.check_record()
        values = self.values_of(spec, body, creating=True, from_csv=from_csv)
        missing = [
            f.name
            for f in spec.fields.values()
            if f.required and not f.readonly and values.get(f.name) in (None, "")
        ]
        if missing:
            raise RecordFailure(
                "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(missing)}]", missing
            )
        self._check_unique(spec, values, None)
        return self.insert_values(spec, values)

    def insert_values(self, spec: ObjectSpec, values: Mapping[str, Any]) -> str:
        """Store already-valid values as a new record (system fields stamped, formulas derived)."""
        now = self.now()
        record_id = self.new_id(spec)
        row: Row = {f.name: None for f in spec.fields.values()}
        for f in spec.fields.values():
            if f.type == "boolean":
                row[f.name] = bool(f.default)
            elif f.default is not None:
                row[f.name] = f.default
        user = self.user or self.integration_user_id
        row.update(
            Id=record_id,
            IsDeleted=False,
            CreatedDate=now,
            CreatedById=user or record_id,
            LastModifiedDate=now,
            LastModifiedById=user or record_id,
            SystemModstamp=now,
        )
        if spec.field("OwnerId") is not None:
            row["OwnerId"] = user
        if spec.name in {"Case", "Contract"}:
            n = self.autonumbers.get(spec.name, 0) + 1
            self.autonumbers[spec.name] = n
            row["CaseNumber" if spec.name == "Case" else "ContractNumber"] = f"{n:08d}"
        if spec.name == "User":
            row["UserType"] = "Standard"
        row.update(values)
        self._derive(spec, row, True)
        self.data[spec.name.lower()][record_id] = row
        self.index_row(spec, row, add=True)
        return record_id

    def insert_raw(self, sobject: str, values: Mapping[str, Any]) -> str:
        """Store values (Python types: ``date``, ``Decimal``) as a new record of ``sobject``, unvalidated."""
        return self.insert_values(self.spec(sobject), values)

    def modify(self, spec: ObjectSpec, row: Row, body: Mapping[str, Any], *, from_csv: bool = False) -> None:
        """Update a live row from a write body, with every API validation.

        Raises:
            RecordFailure: The body is refused, the lead is converted, or an injection fired.
        """
        self.injections.check_record()
        if spec.name == "Lead" and row.get("IsConverted"):
            raise RecordFailure("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
        values = self.values_of(spec, body, creating=False, from_csv=from_csv)
        for f in spec.fields.values():
            if f.required and f.name in values and values[f.name] in (None, ""):
                raise RecordFailure(
                    "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{f.name}]", [f.name]
                )
        self._check_unique(spec, values, row["Id"])
        now = self.now()
        self.index_row(spec, row, add=False)
        row.update(values)
        self.index_row(spec, row, add=True)
        row["LastModifiedDate"] = row["SystemModstamp"] = now
        row["LastModifiedById"] = self.user or row["LastModifiedById"]
        self._derive(spec, row, False)

    def remove(self, spec: ObjectSpec, row: Row) -> None:
        """Move a row to the recycle bin (``IsDeleted``) and log the deletion.

        Raises:
            RecordFailure: A per-record injection fired.
        """
        self.injections.check_record()
        now = self.now()
        row["IsDeleted"] = True
        row["SystemModstamp"] = now
        self.deleted_log.append((spec.name, row["Id"], now))

    # ------------------------------------------------------------------------------ rendering

    def url(self, spec: ObjectSpec, record_id: str) -> str:
        """A record's REST URL (the ``attributes.url`` of rendered records)."""
        return f"/services/data/v{self.version}/sobjects/{spec.name}/{record_id}"

    def render(self, spec: ObjectSpec, row: Row, fields: Sequence[str] | None = None) -> Row:
        """A row as the REST API returns it (``attributes`` first; relationship paths nested).

        Raises:
            Abort: 400 ``INVALID_FIELD`` for an unknown field.
            SoqlError: An unknown relationship in a path.
        """
        return compile_renderer(self, spec, fields)(row)

    def resolver(self, spec: ObjectSpec) -> Resolver:
        """A function giving the value and type of a field path (``Account.Owner.Name``) on a row."""
        paths: dict[str, tuple[FieldSpec, Callable[[Mapping[str, Any]], Any]]] = {}

        def resolve(row: Row, path: str) -> tuple[Any, str]:
            found = paths.get(path)
            if found is None:
                found = paths[path] = field_path(self, spec, path)
            return found[1](row), found[0].type

        return resolve

    # ---------------------------------------------------------------------------------- SOQL

    def filter(
        self, spec: ObjectSpec, parsed: ParsedQuery, rows: Iterable[Row], include_deleted: bool
    ) -> list[Row]:
        """The rows a parsed query selects, ordered, offset and limited (fields validated first; an
        aggregate query answers its ``AggregateResult`` records)."""
        return Query(self, spec, parsed).select(rows, include_deleted)

    def run_query(
        self, statement: str, *, include_deleted: bool = False
    ) -> tuple[ParsedQuery, ObjectSpec, list[Row]]:
        """Parse and evaluate SOQL; returns the parsed query, the object and the matching raw rows
        (for an aggregate query, its ``AggregateResult`` records).

        Raises:
            SoqlError: The statement is malformed or names unknown objects, fields or relationships.
        """
        parsed = parse_soql(statement)
        spec = self.objects.get(parsed.sobject.lower())
        if spec is None:
            raise SoqlError("INVALID_TYPE", f"sObject type '{parsed.sobject}' is not supported.")
        parsed = _expand_fields(spec, parsed)
        relationships = self.child_relationships(spec)
        for child in parsed.children:
            if child.sobject.lower() not in relationships:
                raise SoqlError(
                    "INVALID_TYPE",
                    f"Didn't understand relationship '{child.sobject}' in FROM part of query call.",
                )
            Query(self, relationships[child.sobject.lower()][0], child)
        rows = self.filter(spec, parsed, self.table(spec.name).values(), include_deleted)
        return parsed, spec, rows

    def new_locator(self, prefix: str = "0r8") -> str:
        """A new query locator (``0r8...`` for a query, ``01g...`` for a child set)."""
        return id18(f"{prefix}SB{self.next_number():010d}")

    def open_cursor(
        self, spec: ObjectSpec, parsed: ParsedQuery, rows: Sequence[Row], *, resource: str = "query"
    ) -> Cursor:
        """A cursor over a query's selected rows; pages render lazily, child sets page themselves.

        A child set larger than :attr:`child_batch_size` holds its first records inline and a
        ``nextRecordsUrl`` to a cursor of the rest (REFERENCE.md §5).
        """
        if parsed.is_aggregate:
            return Cursor(rows=rows, render=lambda row: (row, 1), total=len(rows), resource=resource)
        relationships = self.child_relationships(spec)
        base = compile_renderer(self, spec, parsed.fields)
        groups: list[tuple[str, Query, Renderer, dict[str, list[Row]]]] = []
        for child in parsed.children:
            child_spec, ref = relationships[child.sobject.lower()]
            by_parent: dict[str, list[Row]] = {}
            for r in self.table(child_spec.name).values():
                if r.get(ref.name):
                    by_parent.setdefault(r[ref.name], []).append(r)
            key = ref.child_relationship or child.sobject
            groups.append(
                (
                    key,
                    Query(self, child_spec, child),
                    compile_renderer(self, child_spec, child.fields),
                    by_parent,
                )
            )
        batch = self.child_batch_size

        def render(row: Row) -> tuple[Row, int]:
            out = base(row)
            weight = 1
            for key, query, render_child, by_parent in groups:
                kids = query.select(by_parent.get(row["Id"], ()), False)
                if not kids:
                    out[key] = None
                    continue
                inline = [render_child(k) for k in kids[:batch]]
                weight += len(inline)
                nested: Row = {"totalSize": len(kids), "done": len(kids) <= batch, "records": inline}
                if len(kids) > batch:
                    locator = self.new_locator("01g")
                    self.cursors[locator] = Cursor(
                        rows=kids, render=_weigh(render_child), total=len(kids), resource=resource
                    )
                    nested["nextRecordsUrl"] = f"/services/data/v{self.version}/{resource}/{locator}-{batch}"
                out[key] = nested
            return out, weight

        return Cursor(rows=rows, render=render, total=len(rows), resource=resource)

    def render_rows(self, spec: ObjectSpec, parsed: ParsedQuery, rows: Sequence[Row]) -> list[Row]:
        """Render rows with their selected fields and parent-to-child subquery results."""
        cursor = self.open_cursor(spec, parsed, rows)
        return [cursor.render(row)[0] for row in rows]


def _weigh(render: Renderer) -> Callable[[Row], tuple[Row, int]]:
    """A cursor's renderer of child records (each weighs one row)."""
    return lambda row: (render(row), 1)


def _expand_fields(spec: ObjectSpec, parsed: ParsedQuery) -> ParsedQuery:
    """``FIELDS(STANDARD|CUSTOM|ALL)`` replaced by the object's fields; ALL and CUSTOM only with a
    ``LIMIT`` of 200 or less ("No ``SELECT *``; ``FIELDS(ALL)``/``FIELDS(CUSTOM)`` require ``LIMIT <=200``;
    ``FIELDS(STANDARD)`` is unbounded", REFERENCE.md §6)."""
    if not any(f.startswith("FIELDS(") for f in parsed.fields):
        return parsed
    out: list[str] = []
    for name in parsed.fields:
        kind = name[7:-1] if name.startswith("FIELDS(") else None
        if kind is None:
            out.append(name)
            continue
        if kind in {"ALL", "CUSTOM"} and (parsed.limit is None or parsed.limit > 200):
            raise SoqlError("MALFORMED_QUERY", "The SOQL FIELDS function must have a LIMIT of at most 200")
        for f in spec.fields.values():
            if kind == "ALL" or (kind == "CUSTOM") == f.custom:
                out.append(f.name)
    return attrs.evolve(parsed, fields=tuple(dict.fromkeys(out)))
