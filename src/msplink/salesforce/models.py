"""Salesforce wire models: frozen attrs classes parsed by one cattrs converter (DESIGN §4).

sObject models (:class:`Account`, :class:`Contact`, :class:`Lead`, :class:`Opportunity`,
:class:`Case`, :class:`Task`, :class:`Contract`, :class:`User`) have snake_case attributes for the
standard fields (``billing_city`` <-> ``BillingCity``), keep every custom field (``__c``) in
``custom`` and the untouched payload in ``raw``. ``model["CW_Company_Id__c"]`` and
``model["Account.Name"]`` read any field, custom or relationship, from the payload. Money is
``Decimal``, datetimes are aware (UTC), dates are ``date``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from msplink._core import make_converter, parse_datetime
from msplink.errors import ErrorDetail

__all__ = [
    "Account",
    "BulkRecordResult",
    "Case",
    "CompositeSubrequest",
    "CompositeSubresponse",
    "Contact",
    "Contract",
    "DeletedRecord",
    "DeletedResult",
    "FieldDescribe",
    "IngestResult",
    "JobInfo",
    "Lead",
    "Limit",
    "LimitInfo",
    "Limits",
    "Opportunity",
    "PicklistValue",
    "Record",
    "RecordError",
    "SObject",
    "SObjectDescribe",
    "SaveResult",
    "Task",
    "UpdatedResult",
    "User",
    "format_datetime",
    "to_api_value",
]

Record = dict[str, Any]
"""An untyped record (``client.sobject("X__c")`` and ``client.query(...)`` results)."""

S = TypeVar("S", bound="SObject")
M = TypeVar("M")

_AUDIT_FIELDS = frozenset(
    {
        "Id",
        "IsDeleted",
        "CreatedDate",
        "CreatedById",
        "LastModifiedDate",
        "LastModifiedById",
        "SystemModstamp",
    }
)


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _camel(name: str) -> str:
    pascal = _pascal(name)
    return pascal[:1].lower() + pascal[1:]


def format_datetime(value: datetime) -> str:
    """Format an aware datetime the way Salesforce accepts it (``2026-05-06T11:30:49.000Z``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def to_api_value(value: Any) -> Any:
    """Turn a Python value into its Salesforce JSON form (dates ISO, datetimes UTC, models dicts)."""
    if isinstance(value, SObject):
        return value.to_api()
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_api_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_api_value(v) for v in value]
    return value


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        found = None
        for key, value in current.items():
            if key.lower() == part.lower():
                found = (value,)
                break
        if found is None:
            raise KeyError(path)
        current = found[0]
    return current


@attrs.frozen(kw_only=True)
class SObject:
    """Base of the typed sObject models.

    Attributes:
        id: The 18-character record id (``None`` before creation).
        custom: Custom fields (``__c``) by API name, kept as sent.
        raw: The untouched payload (excluded from equality and repr).
    """

    SOBJECT: ClassVar[str] = ""
    READ_ONLY: ClassVar[frozenset[str]] = frozenset()
    NOT_ON_OBJECT: ClassVar[frozenset[str]] = frozenset()

    id: str | None = None
    is_deleted: bool | None = None
    created_date: datetime | None = None
    created_by_id: str | None = None
    last_modified_date: datetime | None = None
    last_modified_by_id: str | None = None
    system_modstamp: datetime | None = None
    custom: Mapping[str, Any] = attrs.field(factory=dict)
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def from_api(cls: type[S], data: Mapping[str, Any]) -> S:
        """Parse a record payload (query row, GET body, collections retrieve entry)."""
        model = _converter.structure(dict(data), cls)
        custom = {k: v for k, v in data.items() if k.endswith("__c")}
        object.__setattr__(model, "custom", custom)
        object.__setattr__(model, "raw", data)
        return model

    @classmethod
    def api_fields(cls) -> tuple[str, ...]:
        """The API names of the standard fields this model types (for default field lists)."""
        names = (_api_name(a.name) for a in attrs.fields(cls) if a.name not in {"custom", "raw"})
        return tuple(n for n in names if n not in cls.NOT_ON_OBJECT)

    def to_api(self) -> dict[str, Any]:
        """The writable fields that are set (not ``None``), in Salesforce names, plus custom fields.

        ``None`` means "not given" here; to clear a field send a mapping with ``None`` instead.
        """
        out: dict[str, Any] = {}
        for attribute in attrs.fields(type(self)):
            if attribute.name in {"custom", "raw"}:
                continue
            name = _api_name(attribute.name)
            if name in _AUDIT_FIELDS or name in self.READ_ONLY:
                continue
            value = getattr(self, attribute.name)
            if value is not None:
                out[name] = to_api_value(value)
        for key, value in self.custom.items():
            out[key] = to_api_value(value)
        return out

    def __getitem__(self, name: str) -> Any:
        """Any field by API name or relationship path (``CW_Company_Id__c``, ``Account.Name``)."""
        if name in self.custom:
            return self.custom[name]
        try:
            return _lookup(self.raw, name)
        except KeyError:
            for attribute in attrs.fields(type(self)):
                if _api_name(attribute.name).lower() == name.lower():
                    return getattr(self, attribute.name)
            raise

    def get(self, name: str, default: Any = None) -> Any:
        """Like ``self[name]`` but ``default`` when the payload has no such field."""
        try:
            return self[name]
        except KeyError:
            return default


_RENAMES: dict[str, str] = {}


def _api_name(attr_name: str) -> str:
    return _RENAMES.get(attr_name) or _pascal(attr_name)


@attrs.frozen(kw_only=True)
class Account(SObject):
    """An Account (key prefix ``001``)."""

    SOBJECT: ClassVar[str] = "Account"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"MasterRecordId"})

    name: str | None = None
    type: str | None = None
    industry: str | None = None
    parent_id: str | None = None
    account_number: str | None = None
    billing_street: str | None = None
    billing_city: str | None = None
    billing_state: str | None = None
    billing_postal_code: str | None = None
    billing_country: str | None = None
    shipping_street: str | None = None
    shipping_city: str | None = None
    shipping_state: str | None = None
    shipping_postal_code: str | None = None
    shipping_country: str | None = None
    phone: str | None = None
    fax: str | None = None
    website: str | None = None
    annual_revenue: Decimal | None = None
    number_of_employees: int | None = None
    description: str | None = None
    rating: str | None = None
    account_source: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class Contact(SObject):
    """A Contact (key prefix ``003``)."""

    SOBJECT: ClassVar[str] = "Contact"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"Name"})

    account_id: str | None = None
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    title: str | None = None
    department: str | None = None
    mailing_street: str | None = None
    mailing_city: str | None = None
    mailing_state: str | None = None
    mailing_postal_code: str | None = None
    mailing_country: str | None = None
    lead_source: str | None = None
    has_opted_out_of_email: bool | None = None
    do_not_call: bool | None = None
    birthdate: date | None = None
    reports_to_id: str | None = None
    description: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class Lead(SObject):
    """A Lead (key prefix ``00Q``); converted leads are read-only."""

    SOBJECT: ClassVar[str] = "Lead"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {
            "Name",
            "IsConverted",
            "ConvertedDate",
            "ConvertedAccountId",
            "ConvertedContactId",
            "ConvertedOpportunityId",
        }
    )

    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    company: str | None = None
    title: str | None = None
    status: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    website: str | None = None
    industry: str | None = None
    rating: str | None = None
    lead_source: str | None = None
    number_of_employees: int | None = None
    annual_revenue: Decimal | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    description: str | None = None
    is_converted: bool | None = None
    converted_date: date | None = None
    converted_account_id: str | None = None
    converted_contact_id: str | None = None
    converted_opportunity_id: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class Opportunity(SObject):
    """An Opportunity (key prefix ``006``); ``is_won``/``is_closed`` derive from the stage."""

    SOBJECT: ClassVar[str] = "Opportunity"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"IsClosed", "IsWon", "ExpectedRevenue"})

    name: str | None = None
    account_id: str | None = None
    stage_name: str | None = None
    close_date: date | None = None
    amount: Decimal | None = None
    probability: Decimal | None = None
    type: str | None = None
    lead_source: str | None = None
    next_step: str | None = None
    description: str | None = None
    forecast_category_name: str | None = None
    is_closed: bool | None = None
    is_won: bool | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class Case(SObject):
    """A Case (key prefix ``500``)."""

    SOBJECT: ClassVar[str] = "Case"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"CaseNumber", "IsClosed", "ClosedDate"})

    case_number: str | None = None
    subject: str | None = None
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    origin: str | None = None
    reason: str | None = None
    type: str | None = None
    account_id: str | None = None
    contact_id: str | None = None
    parent_id: str | None = None
    is_closed: bool | None = None
    closed_date: datetime | None = None
    is_escalated: bool | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class Task(SObject):
    """A Task (key prefix ``00T``); ``who_id``/``what_id`` are polymorphic."""

    SOBJECT: ClassVar[str] = "Task"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"AccountId", "IsClosed", "IsHighPriority"})

    subject: str | None = None
    status: str | None = None
    priority: str | None = None
    activity_date: date | None = None
    who_id: str | None = None
    what_id: str | None = None
    account_id: str | None = None
    description: str | None = None
    is_closed: bool | None = None
    is_high_priority: bool | None = None
    task_subtype: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class Contract(SObject):
    """A Contract (key prefix ``800``); create as Draft, then activate."""

    SOBJECT: ClassVar[str] = "Contract"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"EndDate", "ContractNumber", "StatusCode", "ActivatedDate"}
    )

    account_id: str | None = None
    status: str | None = None
    status_code: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    contract_term: int | None = None
    contract_number: str | None = None
    billing_street: str | None = None
    billing_city: str | None = None
    billing_state: str | None = None
    billing_postal_code: str | None = None
    billing_country: str | None = None
    special_terms: str | None = None
    description: str | None = None
    activated_date: datetime | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class User(SObject):
    """A User (key prefix ``005``)."""

    SOBJECT: ClassVar[str] = "User"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"Name", "UserType"})
    NOT_ON_OBJECT: ClassVar[frozenset[str]] = frozenset({"IsDeleted"})

    username: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    alias: str | None = None
    title: str | None = None
    is_active: bool | None = None
    profile_id: str | None = None
    user_type: str | None = None
    time_zone_sid_key: str | None = None


# ------------------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class RecordError:
    """One per-record error (``statusCode`` in collections, ``errorCode`` elsewhere, Bulk CSV text).

    Attributes:
        code: The Salesforce code (``REQUIRED_FIELD_MISSING``, ``UNABLE_TO_LOCK_ROW`` ...).
        message: The message.
        fields: The fields concerned.
    """

    code: str
    message: str = ""
    fields: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> RecordError:
        """Parse ``{"statusCode"|"errorCode", "message", "fields"}``."""
        code = data.get("statusCode") or data.get("errorCode") or "UNKNOWN"
        fields = data.get("fields") or ()
        return cls(code=str(code), message=str(data.get("message") or ""), fields=tuple(map(str, fields)))

    @classmethod
    def from_bulk(cls, text: str) -> RecordError:
        """Parse a Bulk 2.0 ``sf__Error`` cell: ``CODE:message:fields --``."""
        body = text.strip()
        if body.endswith("--"):
            body = body[:-2].rstrip()
        code, colon, rest = body.partition(":")
        if not colon or not re.fullmatch(r"[A-Z][A-Z0-9_]*", code.strip()):
            return cls(code="UNKNOWN", message=body)
        message, sep, fields_text = rest.rpartition(":")
        if not sep:
            message, fields_text = rest, ""
        fields = tuple(f.strip() for f in fields_text.split(",") if f.strip())
        return cls(code=code.strip() or "UNKNOWN", message=message.strip(), fields=fields)

    def to_detail(self) -> ErrorDetail:
        """This error as an :class:`msplink.errors.ErrorDetail`."""
        return ErrorDetail(code=self.code, message=self.message, fields=self.fields)

    def __str__(self) -> str:
        where = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"[{self.code}] {self.message}{where}"


@attrs.frozen(kw_only=True)
class SaveResult:
    """The outcome of one record write (create, update, upsert, delete; single or collections).

    Attributes:
        id: The record id, when known.
        success: Whether the write happened.
        errors: Every error of the record.
        created: For upserts: ``True`` inserted, ``False`` updated; ``None`` otherwise.
        raw: The untouched result (excluded from equality and repr).
    """

    id: str | None = None
    success: bool = True
    errors: tuple[RecordError, ...] = ()
    created: bool | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SaveResult:
        """Parse ``{"id","success","errors","created"?}``."""
        errors = tuple(RecordError.from_api(e) for e in (data.get("errors") or ()))
        created = data.get("created")
        return cls(
            id=data.get("id"),
            success=bool(data.get("success", not errors)),
            errors=errors,
            created=bool(created) if created is not None else None,
            raw=data,
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """The error codes, in order."""
        return tuple(e.code for e in self.errors)


@attrs.frozen(kw_only=True)
class Limit:
    """One org limit: ``max`` and ``remaining``."""

    max: int
    remaining: int

    @property
    def used(self) -> int:
        """``max - remaining``."""
        return self.max - self.remaining


@attrs.frozen(kw_only=True)
class Limits:
    """The org limits (``GET /limits``), by name (``DailyApiRequests`` ...)."""

    values: Mapping[str, Limit]
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Limits:
        """Parse the ``/limits`` body."""
        values = {
            name: Limit(max=int(v.get("Max", 0)), remaining=int(v.get("Remaining", 0)))
            for name, v in data.items()
            if isinstance(v, Mapping)
        }
        return cls(values=values, raw=data)

    def __getitem__(self, name: str) -> Limit:
        return self.values[name]

    @property
    def daily_api_requests(self) -> Limit | None:
        """The rolling 24-hour API request allocation."""
        return self.values.get("DailyApiRequests")


_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")
_PER_APP = re.compile(r"per-app-api-usage=(\d+)/(\d+)\(appName=([^)]*)\)")


@attrs.frozen(kw_only=True)
class LimitInfo:
    """The last ``Sforce-Limit-Info`` reading: ``api-usage=used/max`` (and per-app usage).

    Attributes:
        used: API requests used in the rolling 24 hours.
        max: The allocation.
        per_app_used: Per-app usage, when sent.
        per_app_max: Per-app allocation, when sent.
        app_name: The app of the per-app reading.
    """

    used: int
    max: int
    per_app_used: int | None = None
    per_app_max: int | None = None
    app_name: str | None = None

    @classmethod
    def parse(cls, header: str | None) -> LimitInfo | None:
        """Parse a header value; ``None`` when absent or unreadable."""
        if not header:
            return None
        found = _USAGE.search(header)
        if found is None:
            return None
        per_app = _PER_APP.search(header)
        return cls(
            used=int(found.group(1)),
            max=int(found.group(2)),
            per_app_used=int(per_app.group(1)) if per_app else None,
            per_app_max=int(per_app.group(2)) if per_app else None,
            app_name=per_app.group(3) if per_app else None,
        )

    @property
    def remaining(self) -> int:
        """Requests left in the allocation."""
        return max(0, self.max - self.used)

    @property
    def fraction_used(self) -> float:
        """``used / max`` (0 when max is 0)."""
        return self.used / self.max if self.max else 0.0


@attrs.frozen(kw_only=True)
class UpdatedResult:
    """``GET /sobjects/{type}/updated``: ids changed in the window and the next ``start``."""

    ids: tuple[str, ...]
    latest_date_covered: datetime | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> UpdatedResult:
        """Parse the body."""
        latest = data.get("latestDateCovered")
        return cls(
            ids=tuple(data.get("ids") or ()),
            latest_date_covered=parse_datetime(latest) if latest else None,
            raw=data,
        )


@attrs.frozen(kw_only=True)
class DeletedRecord:
    """One deleted record: its id and when it was deleted."""

    id: str
    deleted_date: datetime


@attrs.frozen(kw_only=True)
class DeletedResult:
    """``GET /sobjects/{type}/deleted``: deletes in the window and how far back the log goes."""

    deleted_records: tuple[DeletedRecord, ...]
    earliest_date_available: datetime | None = None
    latest_date_covered: datetime | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DeletedResult:
        """Parse the body."""
        earliest = data.get("earliestDateAvailable")
        latest = data.get("latestDateCovered")
        return cls(
            deleted_records=tuple(
                DeletedRecord(id=r["id"], deleted_date=parse_datetime(r["deletedDate"]))
                for r in data.get("deletedRecords") or ()
            ),
            earliest_date_available=parse_datetime(earliest) if earliest else None,
            latest_date_covered=parse_datetime(latest) if latest else None,
            raw=data,
        )


@attrs.frozen(kw_only=True)
class PicklistValue:
    """One picklist entry of a describe."""

    value: str
    label: str | None = None
    active: bool = True
    default_value: bool = False


@attrs.frozen(kw_only=True)
class FieldDescribe:
    """One field of an object describe."""

    name: str
    label: str | None = None
    type: str = "string"
    length: int | None = None
    nillable: bool = True
    createable: bool = False
    updateable: bool = False
    defaulted_on_create: bool = False
    external_id: bool = False
    id_lookup: bool = False
    unique: bool = False
    custom: bool = False
    calculated: bool = False
    restricted_picklist: bool = False
    picklist_values: tuple[PicklistValue, ...] = ()
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None

    @property
    def required_on_create(self) -> bool:
        """``createable and not nillable and not defaultedOnCreate`` (Salesforce's definition)."""
        return self.createable and not self.nillable and not self.defaulted_on_create

    @property
    def active_picklist_values(self) -> tuple[str, ...]:
        """The active picklist values."""
        return tuple(p.value for p in self.picklist_values if p.active)


@attrs.frozen(kw_only=True)
class SObjectDescribe:
    """An object describe (``GET /sobjects/{type}/describe``)."""

    name: str
    label: str | None = None
    key_prefix: str | None = None
    custom: bool = False
    createable: bool = False
    updateable: bool = False
    deletable: bool = False
    queryable: bool = False
    fields: tuple[FieldDescribe, ...] = ()
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SObjectDescribe:
        """Parse a describe body."""
        model = _camel_converter.structure(dict(data), cls)
        object.__setattr__(model, "raw", data)
        return model

    def field(self, name: str) -> FieldDescribe:
        """A field by API name (case-insensitive).

        Raises:
            KeyError: No such field.
        """
        for f in self.fields:
            if f.name.lower() == name.lower():
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every field's API name."""
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Fields that must be given on create."""
        return tuple(f.name for f in self.fields if f.required_on_create)

    @property
    def external_id_fields(self) -> tuple[str, ...]:
        """Fields flagged External ID (usable for upserts)."""
        return tuple(f.name for f in self.fields if f.external_id)

    @property
    def picklists(self) -> dict[str, tuple[str, ...]]:
        """Active values of every picklist / multi-select picklist field."""
        return {
            f.name: f.active_picklist_values for f in self.fields if f.type in {"picklist", "multipicklist"}
        }


@attrs.frozen(kw_only=True)
class JobInfo:
    """A Bulk API 2.0 job (ingest or query); some answers (``PATCH`` state changes) carry no ``id``."""

    id: str = ""
    operation: str | None = None
    object: str | None = None
    state: str | None = None
    external_id_field_name: str | None = None
    content_type: str | None = None
    api_version: Decimal | None = None
    job_type: str | None = None
    line_ending: str | None = None
    column_delimiter: str | None = None
    concurrency_mode: str | None = None
    content_url: str | None = None
    created_date: datetime | None = None
    system_modstamp: datetime | None = None
    number_records_processed: int | None = None
    number_records_failed: int | None = None
    retries: int | None = None
    total_processing_time: int | None = None
    error_message: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> JobInfo:
        """Parse a JobInfo body."""
        model = _camel_converter.structure(dict(data), cls)
        object.__setattr__(model, "raw", data)
        return model

    @property
    def done(self) -> bool:
        """Whether the job reached a terminal state."""
        return self.state in {"JobComplete", "Failed", "Aborted"}


@attrs.frozen(kw_only=True)
class BulkRecordResult:
    """One row of a Bulk 2.0 ingest result, correlated back to the record sent.

    Attributes:
        record: The columns sent (as the result CSV echoes them).
        id: ``sf__Id`` (empty for failures before insert).
        success: From the successful-results file.
        created: ``sf__Created``.
        error: ``sf__Error`` parsed; ``None`` on success.
        processed: ``False`` for unprocessed records.
    """

    record: Mapping[str, str]
    id: str | None = None
    success: bool = False
    created: bool | None = None
    error: RecordError | None = None
    processed: bool = True


@attrs.frozen(kw_only=True)
class IngestResult:
    """A finished Bulk 2.0 ingest: the job and every row's outcome."""

    job: JobInfo
    successful: tuple[BulkRecordResult, ...] = ()
    failed: tuple[BulkRecordResult, ...] = ()
    unprocessed: tuple[BulkRecordResult, ...] = ()

    @property
    def results(self) -> tuple[BulkRecordResult, ...]:
        """Every row, successful first."""
        return self.successful + self.failed + self.unprocessed


@attrs.frozen(kw_only=True)
class CompositeSubrequest:
    """One subrequest of ``POST /composite``.

    Attributes:
        method: HTTP method.
        url: Absolute path (``/services/data/v62.0/sobjects/Account``) or relative to the versioned
            base (``sobjects/Account``); may hold ``@{ref.id}`` references.
        reference_id: The name later subrequests reference.
        body: The JSON body, if any.
        http_headers: Per-subrequest headers.
    """

    method: str
    url: str
    reference_id: str
    body: Any = None
    http_headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class CompositeSubresponse:
    """One subresponse of ``POST /composite``."""

    reference_id: str
    status: int
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> CompositeSubresponse:
        """Parse ``{"body","httpHeaders","httpStatusCode","referenceId"}``."""
        return cls(
            reference_id=str(data.get("referenceId") or ""),
            status=int(data.get("httpStatusCode") or 0),
            body=data.get("body"),
            headers=dict(data.get("httpHeaders") or {}),
        )

    @property
    def ok(self) -> bool:
        """Whether the subrequest succeeded (2xx)."""
        return 200 <= self.status < 300

    @property
    def errors(self) -> tuple[RecordError, ...]:
        """The subrequest's errors (its body when it failed)."""
        if self.ok or not isinstance(self.body, Sequence) or isinstance(self.body, str):
            return ()
        return tuple(RecordError.from_api(e) for e in self.body if isinstance(e, Mapping))


# ---------------------------------------------------------------------------------- converters


def _build_sobject_converter() -> cattrs.Converter:
    conv = make_converter()

    def factory(cls: type[Any]) -> Any:
        overrides: dict[str, Any] = {
            a.name: override(rename=_api_name(a.name))
            for a in attrs.fields(cls)
            if a.name not in {"custom", "raw"}
        }
        overrides["custom"] = override(omit=True)
        overrides["raw"] = override(omit=True)
        return make_dict_structure_fn(cls, conv, **overrides)

    conv.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, SObject), factory)
    return conv


def _build_camel_converter() -> cattrs.Converter:
    conv = make_converter()

    def factory(cls: type[Any]) -> Any:
        overrides: dict[str, Any] = {a.name: override(rename=_camel(a.name)) for a in attrs.fields(cls)}
        if "raw" in overrides:
            overrides["raw"] = override(omit=True)
        return make_dict_structure_fn(cls, conv, **overrides)

    conv.register_structure_hook_factory(attrs.has, factory)
    conv.register_structure_hook(str, lambda v, _: str(v))
    return conv


_converter = _build_sobject_converter()
_camel_converter = _build_camel_converter()
