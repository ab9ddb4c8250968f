"""Salesforce wire models: frozen attrs classes parsed by the package's converters (DESIGN §4).

- Records (:mod:`._sobjects`): :class:`Account`, :class:`Contact`, :class:`Lead`,
  :class:`Opportunity`, :class:`Case`, :class:`Task`, :class:`Contract`, :class:`User` on
  :class:`SObject`; untyped rows are :data:`Record` dicts.
- Results (:mod:`._results`): :class:`SaveResult` and :class:`RecordError` per record written,
  :class:`Limits` / :class:`LimitInfo`, :class:`UpdatedResult` / :class:`DeletedResult`,
  :class:`CompositeSubrequest` / :class:`CompositeSubresponse`.
- Describes (:mod:`._describe`): :class:`SObjectDescribe`, :class:`FieldDescribe`, :class:`PicklistValue`.
- Bulk API 2.0 (:mod:`._bulk`): :class:`JobInfo`, :class:`BulkRecordResult`, :class:`IngestResult`.

The converters live in :mod:`._converter` (API names for records, camelCase for describe and job bodies).

Example:
    >>> from msplink.salesforce import models as sf
    >>> sf.Account.from_api({"Id": "001dM00003jU9GxQAK", "Name": "Edge", "CW_Company_Id__c": "19"}).name
    'Edge'
"""

from msplink.salesforce.models._bulk import BulkRecordResult, IngestResult, JobInfo
from msplink.salesforce.models._converter import format_datetime
from msplink.salesforce.models._describe import FieldDescribe, PicklistValue, SObjectDescribe
from msplink.salesforce.models._results import (
    CompositeSubrequest,
    CompositeSubresponse,
    DeletedRecord,
    DeletedResult,
    Limit,
    LimitInfo,
    Limits,
    RecordError,
    SaveResult,
    UpdatedResult,
)
from msplink.salesforce.models._sobjects import (
    Account,
    Case,
    Contact,
    Contract,
    Lead,
    Opportunity,
    Record,
    SObject,
    Task,
    User,
    to_api_value,
)

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
