"""SF leads (qualified or converted) -> CW contacts and their companies, with the CW ids written back
to the lead (DESIGN §1 use case 15).

Built only from public parts (copy it and vary it), as four flows sharing one state store:

1. ``sf-leads-to-cw-companies``: the companies the leads in scope name, read as
   :class:`LeadCompanies` (the leads of one page grouped by normalised company name: many people
   are one company), mapped as the Account a lead converts into (Salesforce's own lead conversion
   mapping: Company -> Name, Website, Industry, Street ... -> Billing address, Rating, Lead Source ->
   Account Source), matched to a ConnectWise company by the identity map, normalised name, then
   web domain, and created when there is none;
2. ``sf-leads-to-cw-contacts``: each open lead in scope matched to a ConnectWise contact by the
   ConnectWise id the lead holds, then by e-mail, and created (under the company of step 1) when
   there is none;
3. ``sf-converted-leads-to-cw-contacts``: the same for converted leads, under the object name
   ``Lead.Converted`` (Salesforce refuses any update of a converted lead,
   ``CANNOT_UPDATE_CONVERTED_LEAD``, so nothing is written back to them: their person lives on as
   the converted Contact, which ``accounts_and_contacts`` links to the same ConnectWise contact);
4. ``cw-contacts-to-sf-leads``: the reverse of step 2 for the two id fields only: the ConnectWise
   contact id and company id are written back to the lead (``CW_Contact_Id__c``,
   ``CW_Company_Id__c``), once. It never creates a lead: a ConnectWise contact no open lead became
   is skipped (reason ``guard``).

A lead is in scope when its status is one of ``statuses`` (default ``Qualified``), or when it is
converted (``converted=True``). Records that exist already in ConnectWise are linked, never
overwritten: every field is ConnectWise's once the contact or company exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError
from msplink.mappers import CustomFieldMapping, Mapper, MappingConfig, find_mapper
from msplink.models import Contact, Customer, ExternalRef, Link
from msplink.sync import (
    ChangePage,
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Owner,
    RemoteRecord,
    StateStore,
    SyncReport,
    by_domain,
    by_email,
    by_external_id,
    by_link,
    by_name,
    run_together,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncSalesforceAdapter,
    ConnectWiseAdapter,
    SalesforceAdapter,
    SharedReads,
    in_turns,
    shared_pages,
)
from msplink.sync.recipes._crm import (
    CW_COMPANY_ID,
    CW_CONTACT_ID,
    comparable,
    is_async,
    with_custom_fields,
)

__all__ = [
    "COMPANY_FIELDS",
    "CONTACT_FIELDS",
    "LEAD_COMPANY",
    "LEAD_CONVERTED",
    "AsyncLeadCompanies",
    "LeadCompanies",
    "LeadsToConnectWise",
    "lead_company_mapper",
    "leads_to_connectwise",
]

NAME: Final = "leads_to_connectwise"
COMPANIES: Final = "sf-leads-to-cw-companies"
CONTACTS: Final = "sf-leads-to-cw-contacts"
CONVERTED: Final = "sf-converted-leads-to-cw-contacts"
WRITE_BACK: Final = "cw-contacts-to-sf-leads"

LEAD_COMPANY: Final = "Lead.Company"
"""The object name of a lead's company in the identity map: ``salesforce:Lead.Company:<normalised
company name>``, so the people of one company share it and its ConnectWise company."""

LEAD_CONVERTED: Final = "Lead.Converted"
"""The object name of a converted lead in the identity map (``salesforce:Lead.Converted:<lead id>``):
kept apart from open leads, so the write-back never tries to update one."""

COMPANY_FIELDS: Final = (
    "name",
    "website",
    "industry",
    "lead_source",
    "billing_address.line1",
    "billing_address.line2",
    "billing_address.city",
    "billing_address.region",
    "billing_address.postal_code",
    "billing_address.country",
    "employee_count",
    "annual_revenue",
)
"""What a company created from a lead carries."""

CONTACT_FIELDS: Final = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile_phone",
    "title",
    "company",
    f"custom_fields.{CW_CONTACT_ID}",
    f"custom_fields.{CW_COMPANY_ID}",
)
"""What a contact created from a lead carries (the two ids are what is written back)."""

ID_FIELDS: Final = (
    CustomFieldMapping(record="Contact", name=CW_CONTACT_ID, salesforce="CW_Contact_Id__c"),
    CustomFieldMapping(record="Contact", name=CW_COMPANY_ID, salesforce="CW_Company_Id__c"),
)
"""The lead fields holding the ConnectWise ids (the sandbox org's and the metadata package's)."""

_LEAD_AS_ACCOUNT: Final = {
    "Company": "Name",
    "Website": "Website",
    "Industry": "Industry",
    "Phone": "Phone",
    "Street": "BillingStreet",
    "City": "BillingCity",
    "State": "BillingState",
    "PostalCode": "BillingPostalCode",
    "Country": "BillingCountry",
    "AnnualRevenue": "AnnualRevenue",
    "NumberOfEmployees": "NumberOfEmployees",
    "Rating": "Rating",
    "LeadSource": "AccountSource",
    "OwnerId": "OwnerId",
    "IsDeleted": "IsDeleted",
    "SystemModstamp": "SystemModstamp",
}
"""Salesforce's standard lead conversion: lead field -> the Account field it becomes."""


def _raw(wire: Any) -> Mapping[str, Any]:
    raw = wire if isinstance(wire, Mapping) else getattr(wire, "raw", None)
    return raw if isinstance(raw, Mapping) else {}


def _read_only(record: Any, config: MappingConfig | None) -> Any:
    raise ConfigurationError("a lead's company is read from the lead, never written back to it")


def lead_company_mapper() -> Mapper[Customer]:
    """The mapper row of a lead's company: the lead mapped as the Account it converts into
    (``GET .../sobjects/Lead/{id}``, then the Account mapper with its picklists), with the lead's
    status and conversion kept in ``custom_fields`` (``lead_status``, ``lead_converted``) for the
    scope filter."""
    lead_row = find_mapper("salesforce", "Lead", Contact)
    account_row = find_mapper("salesforce", "Account", Customer)
    if account_row.to_canonical is None:  # pragma: no cover - the table maps accounts both ways
        raise ConfigurationError("the Account mapper maps outbound only")
    to_customer = account_row.to_canonical

    def lead_to_customer(wire: Any, config: MappingConfig | None) -> Customer:
        raw = _raw(wire)
        account = {"attributes": {"type": "Account"}}
        account.update({target: raw[source] for source, target in _LEAD_AS_ACCOUNT.items() if source in raw})
        customer = to_customer(account, config)
        marks = {"lead_status": raw.get("Status"), "lead_converted": bool(raw.get("IsConverted"))}
        return attrs.evolve(customer, custom_fields={**customer.custom_fields, **marks})

    extra = ("Website", "Industry", "Rating", "AnnualRevenue", "NumberOfEmployees")
    return Mapper(
        system="salesforce",
        object="Lead",
        canonical=Customer,
        to_canonical=lead_to_customer,
        from_canonical=_read_only,
        reads=tuple(dict.fromkeys([*lead_row.reads, *extra])),
    )


def company_key(name: str | None) -> str | None:
    """The identity of a lead's company: its normalised name (``Acme, Inc.`` = ``ACME LLC``)."""
    return next(iter(by_name().source_keys({"name": name}, "")), None) if name else None


class _Scope:
    """Which leads are in scope: a status of ``statuses``, or converted."""

    def __init__(self, statuses: Collection[str], converted: bool) -> None:
        self.statuses = frozenset(statuses)
        self.converted = converted

    def raw(self, raw: Mapping[str, Any]) -> bool:
        return raw.get("Status") in self.statuses or (self.converted and bool(raw.get("IsConverted")))

    def company(self, customer: Any) -> bool:
        marks = getattr(customer, "custom_fields", {}) or {}
        return marks.get("lead_status") in self.statuses or (
            self.converted and bool(marks.get("lead_converted"))
        )

    def open_lead(self, contact: Any) -> bool:
        return contact.lead_status in self.statuses and not contact.converted

    def converted_lead(self, contact: Any) -> bool:
        return self.converted and bool(contact.converted)


class _Renamed:
    """A source read under another object name (``Lead.Converted``): everything else is the source's."""

    def __init__(self, source: Any, object: str) -> None:
        self.inner = source
        self.object = object

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _Grouping:
    """What :class:`LeadCompanies` and its async twin share: grouping a page of leads by company."""

    system: Final = "salesforce"
    object: Final = LEAD_COMPANY
    integration_user = None
    has_delete_feed = False

    def __init__(self, leads: Any, in_scope: Callable[[Mapping[str, Any]], bool]) -> None:
        self.leads = leads
        self.in_scope = in_scope

    @property
    def inner(self) -> Any:
        """The source of the leads grouped (for :func:`~msplink.sync.adapters.in_turns`)."""
        return self.leads

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The API calls of the lead reader's client."""
        calls: Mapping[str, int] = self.leads.api_calls
        return calls

    def group(self, records: Iterable[RemoteRecord]) -> list[RemoteRecord]:
        """One record per company named by the leads (tombstones and leads without a company left out).

        The record's ``data`` is its representative lead (in scope first, then the oldest id); its
        version is a hash of the versions of every lead of the group, its time their newest.
        """
        groups: dict[str, list[RemoteRecord]] = {}
        for record in records:
            key = company_key(_raw(record.data).get("Company")) if not record.deleted else None
            if key is not None:
                groups.setdefault(key, []).append(record)
        out = []
        for key, members in groups.items():
            members.sort(key=lambda r: (not self.in_scope(_raw(r.data)), r.id))
            stamps = [r.updated_at for r in members if r.updated_at is not None]
            digest = hashlib.sha256(
                "|".join(sorted(f"{r.id}@{r.version}" for r in members)).encode("utf-8")
            ).hexdigest()[:16]
            out.append(
                RemoteRecord(
                    id=key, version=digest, updated_at=max(stamps) if stamps else None, data=members[0].data
                )
            )
        return out

    def page(self, page: ChangePage) -> ChangePage:
        """A page of leads as a page of their companies."""
        return ChangePage(records=self.group(page.records), next_token=page.next_token, ordered=page.ordered)


class LeadCompanies(_Grouping):
    """The companies Salesforce leads name, as a sync :class:`~msplink.sync.Source` (object
    ``Lead.Company``, id = normalised company name), over a :class:`~msplink.sync.adapters.SalesforceAdapter`
    of ``Lead`` with :func:`lead_company_mapper`.

    Fetching by id (replays after a crash, decided conflicts, dead letters) reads the leads again
    from the start, since Salesforce cannot search a normalised name; it is rare.
    """

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """One page of leads changed at or after ``since``, grouped by company."""
        return self.page(self.leads.read_changes(since, page_token))

    def _everything(self) -> list[RemoteRecord]:
        records: list[RemoteRecord] = []
        token: str | None = None
        while True:
            page = self.leads.read_changes(None, token)
            records.extend(page.records)
            token = page.next_token
            if token is None:
                return self.group(records)

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """The companies with these ids (reads every lead)."""
        wanted = set(ids)
        return [r for r in self._everything() if r.id in wanted]

    def list_ids(self) -> list[str]:
        """Every company the leads name (reads every lead)."""
        return [r.id for r in self._everything()]


class AsyncLeadCompanies(_Grouping):
    """The async twin of :class:`LeadCompanies` (over an ``AsyncSalesforceAdapter``)."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`LeadCompanies.read_changes`."""
        return self.page(await self.leads.read_changes(since, page_token))

    async def _everything(self) -> list[RemoteRecord]:
        records: list[RemoteRecord] = []
        token: str | None = None
        while True:
            page = await self.leads.read_changes(None, token)
            records.extend(page.records)
            token = page.next_token
            if token is None:
                return self.group(records)

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`LeadCompanies.fetch`."""
        wanted = set(ids)
        return [r for r in await self._everything() if r.id in wanted]

    async def list_ids(self) -> list[str]:
        """See :meth:`LeadCompanies.list_ids`."""
        return [r.id for r in await self._everything()]


def _lead_contacts(row: Mapper[Contact]) -> Mapper[Contact]:
    """The lead mapper with the lead's company as a link to its ``Lead.Company`` (resolved to the
    ConnectWise company of step 1 through the identity map)."""
    inbound = row.to_canonical
    if inbound is None:  # pragma: no cover - the table maps leads both ways
        raise ConfigurationError("the Lead mapper maps outbound only")

    def lead_to_contact(wire: Any, config: MappingConfig | None) -> Contact:
        contact = inbound(wire, config)
        key = company_key(contact.company_name)
        company = (
            Link(refs=ExternalRef("salesforce", LEAD_COMPANY, key), display=contact.company_name)
            if key
            else None
        )
        return attrs.evolve(contact, company=company)

    return attrs.evolve(row, to_canonical=lead_to_contact)


def _cw_contacts(row: Mapper[Contact]) -> Mapper[Contact]:
    """The ConnectWise contact mapper with the contact's own id and its company's id as custom fields."""
    inbound = row.to_canonical
    if inbound is None:  # pragma: no cover - the table maps contacts both ways
        raise ConfigurationError("the contact mapper maps outbound only")

    def contact_to_contact(wire: Any, config: MappingConfig | None) -> Contact:
        contact = inbound(wire, config)
        company = contact.company.id_for("connectwise", "company") if contact.company is not None else None
        return attrs.evolve(contact, custom_fields={**contact.custom_fields, CW_COMPANY_ID: company})

    return attrs.evolve(row, to_canonical=contact_to_contact)


def _create_only(fields: Iterable[str]) -> tuple[FieldPolicy, ...]:
    return tuple(FieldPolicy(f, Owner.TARGET) for f in fields)


class LeadsToConnectWise:
    """The recipe: call it to sync the leads in scope once; :meth:`flows` gives its four flows."""

    name: Final = NAME
    summary: Final = (
        "Qualified or converted Salesforce leads -> ConnectWise contacts and companies (ids written back)"
    )
    systems: Final = ("salesforce", "connectwise")

    def flows(
        self,
        *,
        sf: Any,
        cw: Any,
        config: MappingConfig | None,
        statuses: Collection[str] = ("Qualified",),
        converted: bool = True,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, Flow, Flow, Flow]:
        """The four flows, in the order they run: lead companies -> CW companies, open leads -> CW
        contacts, converted leads -> CW contacts, CW ids -> open leads (over sync or async clients).

        Args:
            sf: A ``SalesforceClient`` (or ``AsyncSalesforceClient``).
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            config: The ``MappingConfig`` (picklists); the lead's id fields ``CW_Contact_Id__c`` /
                ``CW_Company_Id__c`` are added unless it maps them.
            statuses: The lead statuses in scope.
            converted: Whether converted leads are in scope too.
            guards: Blast-radius limits for every flow (the write-back never creates).
            now: The clock of the adapters (default: the system clock).
        """
        if isinstance(statuses, str):
            raise TypeError("statuses is a collection of lead statuses, not one string")
        asynchronous = is_async(sf, cw)
        cfg = with_custom_fields(config, ID_FIELDS)
        scope = _Scope(statuses, converted)
        sf_cls = AsyncSalesforceAdapter if asynchronous else SalesforceAdapter
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        limits = guards or Guards()
        # the lead flows read each page once, in turn (below): what the shared reads add is the table
        # of leads the write-back looks its leads up in (on disk: memory stays flat)
        shared = SharedReads()

        lead_company_row = comparable(lead_company_mapper())
        company_row = comparable(find_mapper("connectwise", "company", Customer), own_id_field=CW_COMPANY_ID)
        lead_reader = sf_cls(sf, lead_company_row, config=cfg, now=now, shared=shared)
        # the first three flows read the same leads: run in turn, each page is read once
        pages = shared_pages(lead_reader)
        source = (AsyncLeadCompanies if asynchronous else LeadCompanies)(pages, scope.raw)
        companies = Flow(
            name=COMPANIES,
            source=source,
            target=cw_cls(cw, company_row, config=cfg, now=now),
            source_mapper=lead_company_row,
            target_mapper=company_row,
            config=cfg,
            match=(by_link(), by_name(), by_domain(("website",))),
            policies=_create_only(COMPANY_FIELDS),
            fields=COMPANY_FIELDS,
            guards=limits,
            filter=scope.company,
            fill_blanks=True,
        )

        lead_row = comparable(_lead_contacts(find_mapper("salesforce", "Lead", Contact)))
        cw_contact_row = comparable(
            _cw_contacts(find_mapper("connectwise", "contact", Contact)), own_id_field=CW_CONTACT_ID
        )
        leads = sf_cls(sf, lead_row, config=cfg, now=now, name_field="last_name", shared=shared)
        # no integration user: the contacts msplink creates are read back (once) for their ids
        # a create whose answer was lost is found again by its e-mail (people share last names)
        cw_contacts = cw_cls(cw, cw_contact_row, config=cfg, now=now, name_field="email")
        contacts = Flow(
            name=CONTACTS,
            source=pages,
            target=cw_contacts,
            source_mapper=lead_row,
            target_mapper=cw_contact_row,
            config=cfg,
            direction=Direction.TWO_WAY,
            match=(by_link(), by_external_id(f"custom_fields.{CW_CONTACT_ID}", on="source"), by_email()),
            policies=_create_only(CONTACT_FIELDS),
            fields=CONTACT_FIELDS,
            guards=limits,
            filter=scope.open_lead,
            fill_blanks=True,
        )
        converted_leads = attrs.evolve(
            contacts,
            name=CONVERTED,
            source=_Renamed(pages, LEAD_CONVERTED),
            direction=Direction.ONE_WAY,
            filter=scope.converted_lead,
        )
        write_back = attrs.evolve(
            contacts.reversed(
                name=WRITE_BACK,
                target=leads,  # the lead adapter itself (a shared source only reads)
                match=(by_link(),),
                fields=(f"custom_fields.{CW_CONTACT_ID}", f"custom_fields.{CW_COMPANY_ID}"),
            ),
            guards=attrs.evolve(limits, allow_create=False, allow_delete=False),
        )
        return companies, contacts, converted_leads, write_back

    def __call__(
        self,
        *,
        sf: Any,
        cw: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        statuses: Collection[str] = ("Qualified",),
        converted: bool = True,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Bring the Salesforce leads in scope into ConnectWise as contacts (and their companies), once.

        Args:
            sf: A ``SalesforceClient`` (SOQL on ``Lead``; ``PATCH /composite/sobjects`` of the ids).
            cw: A ``ConnectWiseClient`` (``GET/POST /company/companies`` and ``/company/contacts``).
            state: The state store the four flows share.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            statuses: The lead statuses in scope (default ``Qualified``).
            converted: Whether converted leads are in scope too (default yes).
            guards: Blast-radius limits for every flow.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for the four flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``), or ``statuses`` given as one string.
        """
        if is_async(sf, cw):
            raise TypeError("async clients: run each of leads_to_connectwise.flows(...) with arun, in order")
        flows = self.flows(
            sf=sf, cw=cw, config=config, statuses=statuses, converted=converted, guards=guards, now=now
        )
        reports = [
            report
            for group in in_turns(flows)  # the three lead flows in turn, then the write-back
            for report in run_together(
                group, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
            )
        ]
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


leads_to_connectwise: Final = LeadsToConnectWise()
"""Qualified or converted SF leads -> CW contacts and companies, ids written back:
``leads_to_connectwise(sf=..., cw=..., state=..., config=...)``; ``leads_to_connectwise.flows(...)``
for ``arun``."""
