"""The write side of the ConnectWise sandbox: POST/PUT/PATCH/DELETE with CW's validation.

What the real API checks, and the sandbox with it:

* required fields (``MissingRequiredField``), references that must exist (``NotFound``, field
  ``company/id``), unique keys (``ObjectExists``), all inside 400 ``InvalidObject`` "``x`` object is
  invalid" (REFERENCE.md §3.2);
* ``date-time`` fields in CW's one format, ``yyyy-MM-ddTHH:mm:ssZ``: anything else (no zone, an offset,
  a date alone) is ``UnsupportedFormat`` "Unsupported format applied to startDate" (REFERENCE.md §7,
  sgtoj/PSConnectWise#40 quotes the real answer);
* a time entry charged to a ticket (``chargeToType`` + ``chargeToId``) takes its ``ticket`` and
  ``company`` (and a project ticket's ``project`` and ``phase``) from the ticket; without a
  ``chargeToId`` it is entered against ``company`` ("If chargeToId is not specified, we assume you
  enter time against the company specified", the OpenAPI ``TimeEntry`` model);
* a ticket note must say where it shows: "Please choose where to display the notes in order to save this
  record." unless one of ``detailDescriptionFlag``/``internalAnalysisFlag``/``resolutionFlag`` is true
  (LabtechConsulting/ConnectWise-Manage-Powershell#12 quotes the real answer); a ticket's
  ``initialDescription``/``initialInternalAnalysis``/``initialResolution`` are POST-only and become its
  first notes (REFERENCE.md §10.10);
* a project ticket belongs to a phase of a project (``summary`` and ``phase`` are required).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from msplink.sandbox._framework import FaultInjector, SandboxRequest, SandboxResponse
from msplink.sandbox.connectwise._collections import COLLECTIONS, Collection
from msplink.sandbox.connectwise._fields import ENTITY_FIELDS
from msplink.sandbox.connectwise._wire import ApiMember, error, invalid, problem

if TYPE_CHECKING:
    from msplink.sandbox.connectwise._store import Store

__all__ = ["CALLBACK_LEVELS", "Writes", "datetime_error"]

CALLBACK_LEVELS = {
    "owner",
    "status",
    "type",
    "company",
    "territory",
    "integratortag",
    "board",
    "activity",
    "agreement",
}
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_CHARGE_TYPES = {
    t.lower(): t for t in ("ServiceTicket", "ProjectTicket", "ChargeCode", "Activity", "Company")
}
_NOTE_FLAGS = ("detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag")
_INITIAL_NOTES = {
    "initialDescription": "detailDescriptionFlag",
    "initialInternalAnalysis": "internalAnalysisFlag",
    "initialResolution": "resolutionFlag",
}


def _parse_utc(text: str) -> datetime | None:
    """A ``yyyy-MM-ddTHH:mm:ssZ`` value as an aware UTC datetime (``None``: not that format)."""
    if not _DATETIME.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def datetime_error(spec: Collection, name: str, value: Any) -> dict[str, Any] | None:
    """The ``UnsupportedFormat`` entry for a ``date-time`` value CW would refuse (``None``: accepted)."""
    if value is None or (isinstance(value, str) and _parse_utc(value) is not None):
        return None
    return problem("UnsupportedFormat", f"Unsupported format applied to {name}", spec.label, name)


def _hours(start: str, end: str) -> Decimal | None:
    begin, finish = _parse_utc(start), _parse_utc(end)
    if begin is None or finish is None or finish < begin:
        return None
    return (Decimal(int((finish - begin).total_seconds())) / Decimal(3600)).quantize(Decimal("0.01"))


class Writes:
    """The write handlers, mixed into :class:`~msplink.sandbox.connectwise.ConnectWiseSandbox`."""

    if TYPE_CHECKING:
        store: Store
        data: dict[str, dict[int, dict[str, Any]]]
        parents: dict[str, dict[int, int]]
        faults: FaultInjector
        members_keys: dict[str, ApiMember]
        _by_name: dict[str, Collection]

        def _auth(self, request: SandboxRequest) -> ApiMember: ...

        def _parent_id(self, request: SandboxRequest, spec: Collection) -> int | None: ...

        def _find(self, request: SandboxRequest, spec: Collection) -> dict[str, Any]: ...

        def _deliver(
            self,
            spec: Collection,
            record: Mapping[str, Any],
            member: ApiMember,
            action: str,
            request: SandboxRequest,
        ) -> None: ...

    # ------------------------------------------------------------------ writing

    def _body_object(self, request: SandboxRequest, spec: Collection) -> dict[str, Any]:
        body = request.json()
        if not isinstance(body, dict):
            raise invalid(spec.label, [])
        return body

    def _validate(
        self,
        spec: Collection,
        record: dict[str, Any],
        *,
        record_id: int | None,
        check_required: bool,
        touched: set[str] | None = None,
        member: ApiMember | None = None,
    ) -> None:
        """Check a record about to be stored; raise 400 ``InvalidObject`` with every problem found.

        ``touched`` names the fields the request wrote (their ``date-time`` format is checked); ``None``
        means all of them.
        """
        errors: list[dict[str, Any]] = []
        for name in spec.datetimes:
            if touched is None or name in touched:
                found = datetime_error(spec, name, record.get(name))
                if found is not None:
                    errors.append(found)
        if spec.name == "timeEntries":
            self._time_entry(record, errors, member)
        if spec.name == "projectTickets":
            self._project_ticket(record, errors)
        if spec.name in {"ticketNotes", "projectTicketNotes"}:
            self._note(record, errors, member)
        if check_required:
            for name in spec.required:
                value = record.get(name)
                if value is None or value == "" or value == {}:
                    errors.append(
                        {
                            "code": "MissingRequiredField",
                            "message": f"The {name} field is required.",
                            "resource": spec.label,
                            "field": name,
                        }
                    )
        for name, target in spec.refs.items():
            value = record.get(name)
            if value is None:
                continue
            found = self.store.resolve_ref(target, value)
            if found is None:
                shown = (
                    value.get("id", value.get("identifier", value.get("name")))
                    if isinstance(value, Mapping)
                    else value
                )
                errors.append(
                    {
                        "code": "NotFound",
                        "message": f"{self._by_name[target].label} {shown} not found",
                        "resource": spec.label,
                        "field": f"{name}/id",
                    }
                )
            else:
                record[name] = self.store.ref_of(target, found)
        if spec.unique and isinstance(record.get(spec.unique), str):
            for other in self.store.holding(spec.name, record[spec.unique]):
                if other != record_id:
                    errors.append(
                        {
                            "code": "ObjectExists",
                            "message": f"The {spec.unique} '{record[spec.unique]}' already exists.",
                            "resource": spec.label,
                            "field": spec.unique,
                        }
                    )
        if spec.name == "callbacks":
            self._validate_callback(record, record_id, errors)
        if spec.name in {"tickets", "projectTickets"}:
            self._ticket_defaults(record, errors)
        if errors:
            raise invalid(spec.label, errors)

    def _ticket_of(self, kind: str, ticket_id: Any) -> dict[str, Any] | None:
        collection = "projectTickets" if kind == "ProjectTicket" else "tickets"
        if isinstance(ticket_id, bool) or not isinstance(ticket_id, int):
            return None
        return self.data[collection].get(ticket_id)

    def _time_entry(
        self, record: dict[str, Any], errors: list[dict[str, Any]], member: ApiMember | None
    ) -> None:
        """What CW derives for a time entry: the charged ticket's ``ticket``/``company`` (a project
        ticket's ``project``/``phase`` too), the entering member, hours from start and end."""
        raw_type = record.get("chargeToType")
        charge_id = record.get("chargeToId")
        kind = _CHARGE_TYPES.get(str(raw_type).lower()) if raw_type is not None else None
        if raw_type is not None and kind is None:
            errors.append(
                problem("InvalidField", f"chargeToType {raw_type} is not valid.", "timeEntry", "chargeToType")
            )
            return
        if kind is not None:
            record["chargeToType"] = kind
        if charge_id is None:
            if kind in {"ServiceTicket", "ProjectTicket", "ChargeCode", "Activity"}:
                errors.append(
                    problem(
                        "MissingRequiredField", "The chargeToId field is required.", "timeEntry", "chargeToId"
                    )
                )
            elif record.get("company") is None:
                errors.append(
                    problem("MissingRequiredField", "The company field is required.", "timeEntry", "company")
                )
            else:
                record["chargeToType"] = "Company"
        elif kind in {"ServiceTicket", "ProjectTicket"}:
            ticket = self._ticket_of(kind, charge_id)
            if ticket is None:
                label = "Service Ticket" if kind == "ServiceTicket" else "Project Ticket"
                errors.append(
                    problem("NotFound", f"{label} {charge_id} not found", "timeEntry", "chargeToId")
                )
            else:
                record["ticket"] = {
                    "id": ticket["id"],
                    "summary": ticket.get("summary"),
                    "_info": {"ticket_href": self.store.href("tickets", ticket["id"])},
                }
                for key in ("company", "agreement", "project", "phase"):
                    if isinstance(ticket.get(key), Mapping):
                        record[key] = copy.deepcopy(ticket[key])
                for key, source in (
                    ("ticketBoard", "board"),
                    ("ticketStatus", "status"),
                    ("ticketType", "type"),
                ):
                    if isinstance(ticket.get(source), Mapping) and ticket[source].get("name") is not None:
                        record[key] = ticket[source]["name"]
        elif kind is None:
            errors.append(
                problem(
                    "MissingRequiredField", "The chargeToType field is required.", "timeEntry", "chargeToType"
                )
            )
        if record.get("member") is None and member is not None:
            found = self.data["members"].get(member.member_id)
            if found is not None:
                record["member"] = self.store.ref_of("members", found)
        start, end = record.get("timeStart"), record.get("timeEnd")
        if record.get("actualHours") is None and isinstance(start, str) and isinstance(end, str):
            hours = _hours(start, end)
            if hours is not None:
                record["actualHours"] = hours - Decimal(str(record.get("hoursDeduct") or 0))

    def _project_ticket(self, record: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        """A project ticket sits in a phase of a project: ``project`` (and ``company``, ``board``) follow
        the phase; a phase of another project than the one named is refused."""
        record["recordType"] = "ProjectTicket" if not record.get("isIssueFlag") else "ProjectIssue"
        phase_ref = record.get("phase")
        if not isinstance(phase_ref, Mapping):
            return
        phase_id = phase_ref.get("id")
        phase = self.data["phases"].get(phase_id) if isinstance(phase_id, int) else None
        if phase is None:
            errors.append(problem("NotFound", f"projectPhase {phase_id} not found", "ticket", "phase/id"))
            return
        project = self.data["projects"].get(self.parents["phases"].get(phase["id"], -1))
        if project is None:
            return
        named = record.get("project")
        if isinstance(named, Mapping) and named.get("id") not in (None, project["id"]):
            errors.append(
                problem(
                    "InvalidField",
                    f"phase {phase_id} is not a phase of project {named.get('id')}",
                    "ticket",
                    "phase/id",
                )
            )
            return
        record["phase"] = {"id": phase["id"], "name": phase.get("description")}
        record["project"] = self.store.ref_of("projects", project)
        for key in ("company", "board"):
            if record.get(key) is None and isinstance(project.get(key), Mapping):
                record[key] = copy.deepcopy(project[key])

    def _note(self, record: dict[str, Any], errors: list[dict[str, Any]], member: ApiMember | None) -> None:
        if not any(record.get(flag) is True for flag in _NOTE_FLAGS):
            errors.append(
                problem(
                    "InvalidObject",
                    "Please choose where to display the notes in order to save this record.",
                    "serviceNote",
                )
            )
        if member is not None:
            record.setdefault("createdBy", member.identifier)
            found = self.data["members"].get(member.member_id)
            if record.get("member") is None and found is not None:
                record["member"] = self.store.ref_of("members", found)
        record.setdefault("dateCreated", self.store.stamp())

    def _validate_callback(
        self, record: dict[str, Any], record_id: int | None, errors: list[dict[str, Any]]
    ) -> None:
        url = record.get("url")
        if isinstance(url, str) and not url.lower().startswith(("https://", "http://")):
            errors.append(
                {"code": "InvalidField", "message": "Invalid URL", "resource": "callback", "field": "url"}
            )
        level = record.get("level")
        if isinstance(level, str) and level.lower() not in CALLBACK_LEVELS:
            errors.append(
                {
                    "code": "InvalidObject",
                    "message": "Unrecognized level for type, see documentation for supported levels for each type",
                    "resource": "callback",
                    "field": "level",
                }
            )
        for other in self.data["callbacks"].values():
            same = all(
                str(other.get(k, "")).lower() == str(record.get(k, "")).lower()
                for k in ("url", "type", "level", "objectId")
            )
            if same and other["id"] != record_id:
                errors.append(
                    {
                        "code": "ObjectExists",
                        "message": "A matching callback entry already exists",
                        "resource": "callback",
                        "field": "objectId",
                    }
                )

    def _ticket_defaults(self, record: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        board = record.get("board")
        if board is None and self.data["boards"]:
            board = self.store.ref_of("boards", next(iter(self.data["boards"].values())))
            record["board"] = board
        if not isinstance(board, Mapping) or "id" not in board:
            return
        statuses = self.store.statuses(board["id"])
        status = record.get("status")
        if status is None:
            if statuses:
                record["status"] = {"id": statuses[0]["id"], "name": statuses[0].get("name")}
            return
        found = next(
            (
                s
                for s in statuses
                if (
                    isinstance(status, Mapping)
                    and (
                        s["id"] == status.get("id")
                        or str(s.get("name", "")).lower() == str(status.get("name", "")).lower()
                    )
                )
            ),
            None,
        )
        if found is None:
            shown = status.get("id", status.get("name")) if isinstance(status, Mapping) else status
            errors.append(
                {
                    "code": "NotFound",
                    "message": f"status {shown} not found",
                    "resource": "ticket",
                    "field": "status/id",
                }
            )
        else:
            record["status"] = {"id": found["id"], "name": found.get("name")}

    def _clean(self, spec: Collection, body: Mapping[str, Any]) -> dict[str, Any]:
        """The writable fields of a body (unknown and read-only keys dropped, nulls omitted).

        Newlines are stored as spaces: ConnectWise does not keep ``\\n`` in JSON strings.
        """
        known = ENTITY_FIELDS[spec.entity]
        record = {
            k: copy.deepcopy(v)
            for k, v in body.items()
            if k in known and k not in {"id", "_info"} and v is not None
        }
        for key, value in list(record.items()):
            if isinstance(value, str) and spec.name != "callbacks":
                record[key] = value.replace("\r", " ").replace("\n", " ")
        return record

    def _derive(self, spec: Collection, record: dict[str, Any]) -> None:
        if spec.name in {"additions"}:
            quantity = Decimal(str(record.get("quantity", 0) or 0))
            price = Decimal(str(record.get("unitPrice", 0) or 0))
            cost = Decimal(str(record.get("unitCost", 0) or 0))
            record["extPrice"] = quantity * price
            record["extCost"] = quantity * cost
        if spec.name == "communications" and "communicationType" not in record:
            record["communicationType"] = "Email" if "@" in str(record.get("value", "")) else "Phone"

    def _touch(self, record: dict[str, Any], member: ApiMember) -> None:
        info = record.setdefault("_info", {})
        info["lastUpdated"] = self.store.stamp()
        info["updatedBy"] = member.identifier

    def _after_write(
        self,
        spec: Collection,
        record: dict[str, Any],
        member: ApiMember,
        action: str,
        request: SandboxRequest,
    ) -> None:
        parent_id = self.parents[spec.name].get(record["id"])
        if spec.name == "communications" and parent_id is not None and parent_id in self.data["contacts"]:
            self.store.refresh_contact_items(parent_id)
        if spec.name == "payments" and parent_id is not None:
            self._rebalance(parent_id, member)
        if spec.callback_type:
            self._deliver(spec, record, member, action, request)

    def _rebalance(self, invoice_id: int, member: ApiMember) -> None:
        """An invoice's ``payments`` and ``balance`` after one of its payments was written or deleted."""
        invoice = self.data["invoices"].get(invoice_id)
        if invoice is None:
            return
        paid = sum(
            (Decimal(str(p.get("amount", 0))) for p in self.store.scope("payments", invoice_id)), Decimal(0)
        )
        total = Decimal(str(invoice.get("total", 0) or 0))
        invoice["payments"] = paid
        invoice["balance"] = total - paid - Decimal(str(invoice.get("credits", 0) or 0))
        self._touch(invoice, member)
        self.store.changed("invoices")

    def _create(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        parent = self._parent_id(request, spec)
        record = self._clean(spec, self._body_object(request, spec))
        if spec.parent is not None and spec.parent_field:
            record[spec.parent_field] = parent if spec.parent_as_id else {"id": parent}
        self._validate(spec, record, record_id=None, check_required=True, member=member)
        initial = (
            {key: record.pop(key) for key in _INITIAL_NOTES if key in record}
            if spec.name in {"tickets", "projectTickets"}
            else {}
        )
        if spec.name == "callbacks":
            record.setdefault("memberId", member.member_id)
            record.setdefault("payloadVersion", "3.0.0")
            record.setdefault("inactiveFlag", False)
            record.setdefault("isSoapCallbackFlag", False)
            record.setdefault("isSelfSuppressedFlag", False)
            record["connectWiseID"] = str(uuid.UUID(int=self.faults.getrandbits(128)))
        items = record.pop("communicationItems", None) if spec.name == "contacts" else None
        self._derive(spec, record)
        stored = self.store.insert(spec.name, record, parent=parent, by=member.identifier)
        if spec.name == "contacts":
            stored["communicationItems"] = []
            for item in items or []:
                if isinstance(item, Mapping):
                    child = self._clean(self._by_name["communications"], item)
                    self._derive(self._by_name["communications"], child)
                    self.store.insert("communications", child, parent=stored["id"], by=member.identifier)
            self.store.refresh_contact_items(stored["id"])
        notes = "ticketNotes" if spec.name == "tickets" else "projectTicketNotes"
        for key, text in initial.items():
            if isinstance(text, str) and text:
                note = {"text": text, _INITIAL_NOTES[key]: True, "ticketId": stored["id"]}
                self._note(note, [], member)
                self.store.insert(notes, note, parent=stored["id"], by=member.identifier)
        self._after_write(spec, stored, member, "added", request)
        return SandboxResponse.json(201, stored)

    def _put(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        current = self._find(request, spec)
        record = self._clean(spec, self._body_object(request, spec))
        parent = self.parents[spec.name].get(current["id"])
        if spec.parent_field and parent is not None:
            record[spec.parent_field] = parent if spec.parent_as_id else {"id": parent}
        for key in _INITIAL_NOTES:
            record.pop(key, None)
        self._validate(spec, record, record_id=current["id"], check_required=True, member=member)
        self._derive(spec, record)
        record["id"] = current["id"]
        record["_info"] = dict(current.get("_info") or {})
        self._touch(record, member)
        self.store.put(spec.name, record)
        self._after_write(spec, record, member, "updated", request)
        return SandboxResponse.json(200, record)

    def _patch(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        current = self._find(request, spec)
        ops = request.json()
        if not isinstance(ops, list) or not ops:
            raise invalid(
                spec.label,
                [
                    {
                        "code": "InvalidObject",
                        "message": "A JSON Patch array is required.",
                        "resource": spec.label,
                    }
                ],
            )
        record = copy.deepcopy(current)
        known = ENTITY_FIELDS[spec.entity]
        touched: set[str] = set()
        for op in ops:
            if (
                not isinstance(op, Mapping)
                or not isinstance(op.get("path"), str)
                or not isinstance(op.get("op"), str)
            ):
                raise invalid(
                    spec.label,
                    [
                        {
                            "code": "InvalidObject",
                            "message": "Invalid patch operation.",
                            "resource": spec.label,
                        }
                    ],
                )
            kind = op["op"].lower()
            parts = [p for p in op["path"].strip("/").split("/") if p != ""]
            if kind not in {"add", "replace", "remove"} or not parts:
                raise invalid(
                    spec.label,
                    [{"code": "InvalidField", "message": f"Invalid op {op['op']}.", "resource": spec.label}],
                )
            if parts[0] not in known or parts[0] in {"id", "_info"}:
                raise invalid(
                    spec.label,
                    [
                        {
                            "code": "InvalidField",
                            "message": f"{parts[0]} is not a valid field.",
                            "resource": spec.label,
                            "field": parts[0],
                        }
                    ],
                )
            value = copy.deepcopy(op.get("value"))
            touched.add(parts[0])
            if len(parts) == 1:
                if kind == "remove" or value is None:
                    record.pop(parts[0], None)
                else:
                    record[parts[0]] = value
                continue
            container = record.get(parts[0])
            if isinstance(container, dict):
                # CW answers 200 without applying a patch into a reference (company/identifier).
                continue
            if isinstance(container, list) and parts[1].isdigit():
                index = int(parts[1])
                if len(parts) == 2:
                    if kind == "add":
                        container.insert(min(index, len(container)), value)
                    elif index < len(container):
                        if kind == "remove":
                            container.pop(index)
                        else:
                            container[index] = value
                elif index < len(container) and isinstance(container[index], dict):
                    container[index][parts[2]] = value
        self._validate(
            spec, record, record_id=current["id"], check_required=True, touched=touched, member=member
        )
        self._derive(spec, record)
        if record != current:
            self._touch(record, member)
        self.store.put(spec.name, record)
        self._after_write(spec, record, member, "updated", request)
        return SandboxResponse.json(200, record)

    def _delete(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        record = self._find(request, spec)
        for other in COLLECTIONS:
            for field, target in other.refs.items():
                if target != spec.name or other.name == spec.name:
                    continue
                if any(
                    isinstance(r.get(field), Mapping) and r[field].get("id") == record["id"]
                    for r in self.data[other.name].values()
                ):
                    raise error(409, "ConnectWiseApi", f"This {spec.label} is in use and cannot be deleted.")
        parent = self.parents[spec.name].get(record["id"])
        self.store.remove(spec.name, record["id"])
        for child in COLLECTIONS:
            if child.parent == spec.name:
                for cid in self.store.children(child.name, record["id"]):
                    self.store.remove(child.name, cid)
        if spec.name == "communications" and parent is not None and parent in self.data["contacts"]:
            self.store.refresh_contact_items(parent)
        if spec.name == "payments" and parent is not None:
            self._rebalance(parent, member)  # a deleted payment no longer pays its invoice
        if spec.callback_type:
            self._deliver(spec, record, member, "deleted", request)
        return SandboxResponse.empty(204)
