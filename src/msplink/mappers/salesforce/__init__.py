"""Salesforce <-> canonical mappers (pure, total, both directions).

Vendor -> canonical functions are named ``<sobject>_to_<canonical>`` (``account_to_customer``,
``case_to_ticket``); canonical -> Salesforce functions are ``<sobject>_from_canonical`` and return
typed sObject models ready for ``to_api()``. Every function takes the
:class:`~msplink.mappers.MappingConfig` and raises :class:`~msplink.errors.MappingError` naming
the field path, never anything else.

Picklists are translated to ConnectWise's vocabulary on the way in and back on the way out:
``opportunity_stages`` (StageName), ``case_statuses`` (Case Status), ``case_priorities`` (Case
Priority); owners (``OwnerId``) travel as links carrying the SF User ref plus, when mapped in
``owners``, the CW member. The ConnectWise ids of linked records travel in msplink's external-id
fields (``CW_Company_Id__c`` ...), so upserts by external id find the record again.
"""

from msplink.mappers.salesforce._accounts import (
    UNMAPPED_ACCOUNT_FIELDS,
    UNMAPPED_CONTACT_FIELDS,
    UNMAPPED_LEAD_FIELDS,
    account_from_canonical,
    account_to_customer,
    contact_from_canonical,
    contact_to_contact,
    lead_from_canonical,
    lead_to_contact,
)
from msplink.mappers.salesforce._contracts import (
    UNMAPPED_CONTRACT_FIELDS,
    contract_from_canonical,
    contract_to_agreement,
)
from msplink.mappers.salesforce._invoices import INVOICE_RECORD_FIELDS, invoice_record_from_canonical
from msplink.mappers.salesforce._opportunities import (
    UNMAPPED_OPPORTUNITY_FIELDS,
    opportunity_from_canonical,
    opportunity_to_opportunity,
)
from msplink.mappers.salesforce._service import (
    UNMAPPED_CASE_FIELDS,
    UNMAPPED_TASK_FIELDS,
    case_from_canonical,
    case_to_ticket,
    task_from_canonical,
    task_to_task,
)
from msplink.mappers.salesforce._shared import (
    CW_AGREEMENT_ID_FIELD,
    CW_COMPANY_ID_FIELD,
    CW_CONTACT_ID_FIELD,
    CW_INVOICE_ID_FIELD,
    CW_OPPORTUNITY_ID_FIELD,
    CW_TICKET_ID_FIELD,
    KEY_PREFIXES,
    SYSTEM,
)
from msplink.mappers.salesforce._table import MAPPERS

__all__ = [
    "CW_AGREEMENT_ID_FIELD",
    "CW_COMPANY_ID_FIELD",
    "CW_CONTACT_ID_FIELD",
    "CW_INVOICE_ID_FIELD",
    "CW_OPPORTUNITY_ID_FIELD",
    "CW_TICKET_ID_FIELD",
    "INVOICE_RECORD_FIELDS",
    "KEY_PREFIXES",
    "MAPPERS",
    "SYSTEM",
    "UNMAPPED_ACCOUNT_FIELDS",
    "UNMAPPED_CASE_FIELDS",
    "UNMAPPED_CONTACT_FIELDS",
    "UNMAPPED_CONTRACT_FIELDS",
    "UNMAPPED_LEAD_FIELDS",
    "UNMAPPED_OPPORTUNITY_FIELDS",
    "UNMAPPED_TASK_FIELDS",
    "account_from_canonical",
    "account_to_customer",
    "case_from_canonical",
    "case_to_ticket",
    "contact_from_canonical",
    "contact_to_contact",
    "contract_from_canonical",
    "contract_to_agreement",
    "invoice_record_from_canonical",
    "lead_from_canonical",
    "lead_to_contact",
    "opportunity_from_canonical",
    "opportunity_to_opportunity",
    "task_from_canonical",
    "task_to_task",
]
