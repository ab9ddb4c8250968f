"""SF accounts and contacts <-> CW companies and contacts, both directions (DESIGN §1 use cases 10,
17, 18, 19).

Built only from public parts (copy it and vary it): the mapper rows of ``msplink.mappers`` made
comparable (:func:`~msplink.sync.recipes._crm.comparable`), four adapters over the two clients, and
four :class:`~msplink.sync.Flow` values sharing one state store: accounts -> companies, companies ->
accounts, then contacts -> contacts both ways (so a contact finds its company through the identity
map). Each pair has the same field owners seen from each side.

- Matching: the identity map, then the ConnectWise id Salesforce holds (``CW_Company_Id__c`` /
  ``CW_Contact_Id__c``), then the normalised name and the web domain (accounts) or the e-mail
  (contacts). Two candidates are a ``match`` conflict for a person, never a guess.
- The ConnectWise id is a field ConnectWise owns: a company created from an account (or linked to
  one) has its id written back to the account in the same run, and upserts by it make creates in
  Salesforce idempotent.
- Picklists (industry, type, rating, lead source) and custom fields go through the ``MappingConfig``
  (``industries``, ``account_types``, ``account_ratings``, ``lead_sources``, ``custom_fields``).
- Blanks: a field one side has never had a value for is filled from the other side; it never
  clears or contests a value (``Flow.fill_blanks``); blank strings and e-mail case never differ.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any, Final

from msplink.mappers import CustomFieldMapping, MappingConfig, find_mapper
from msplink.models import Contact, Customer
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Owner,
    StateStore,
    SyncReport,
    by_domain,
    by_email,
    by_external_id,
    by_link,
    by_name,
    run,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncSalesforceAdapter,
    ConnectWiseAdapter,
    SalesforceAdapter,
    SharedReads,
)
from msplink.sync.recipes._companies import VENDOR_TYPES, not_a_vendor
from msplink.sync.recipes._crm import (
    CW_COMPANY_ID,
    CW_CONTACT_ID,
    comparable,
    custom_field_paths,
    is_async,
    with_custom_fields,
)

__all__ = [
    "ACCOUNT_FIELDS",
    "CONTACT_FIELDS",
    "DEFAULT_ACCOUNT_OWNERS",
    "DEFAULT_CONTACT_OWNERS",
    "AccountsAndContacts",
    "accounts_and_contacts",
]

NAME: Final = "accounts_and_contacts"
ACCOUNTS: Final = "sf-accounts-to-cw-companies"
COMPANIES: Final = "cw-companies-to-sf-accounts"
SF_CONTACTS: Final = "sf-contacts-to-cw-contacts"
CW_CONTACTS: Final = "cw-contacts-to-sf-contacts"

ACCOUNT_FIELDS: Final = (
    "name",
    "phone",
    "fax",
    "website",
    "billing_address.line1",
    "billing_address.line2",
    "billing_address.city",
    "billing_address.region",
    "billing_address.postal_code",
    "billing_address.country",
    "industry",
    "customer_type",
    "lead_source",
    "account_number",
    "annual_revenue",
    "employee_count",
    "owner",
    f"custom_fields.{CW_COMPANY_ID}",
)
"""The canonical fields both account flows sync (plus ``rating`` when the config's ``account_ratings``
table is set, and every ``Customer`` custom field the config maps in both systems). An account's
description, shipping address and parent, and a company's billing terms, tax code and e-mail,
exist on one side only and are left alone."""

CONTACT_FIELDS: Final = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile_phone",
    "title",
    "company",
    "address.line1",
    "address.line2",
    "address.city",
    "address.region",
    "address.postal_code",
    "address.country",
    f"custom_fields.{CW_CONTACT_ID}",
)
"""The canonical fields both contact flows sync (plus every ``Contact`` custom field the config maps
in both systems). ``company`` is the account / company, resolved through the identity map."""

DEFAULT_ACCOUNT_OWNERS: Final[Mapping[str, Owner]] = {
    "name": Owner.TARGET,
    "billing_address": Owner.TARGET,
    "customer_type": Owner.TARGET,
    "account_number": Owner.TARGET,
    f"custom_fields.{CW_COMPANY_ID}": Owner.TARGET,
    "industry": Owner.SOURCE,
    "rating": Owner.SOURCE,
    "lead_source": Owner.SOURCE,
    "annual_revenue": Owner.SOURCE,
    "employee_count": Owner.SOURCE,
    "owner": Owner.SOURCE,
    "phone": Owner.REVIEW,
    "fax": Owner.REVIEW,
    "website": Owner.REVIEW,
}
"""Who owns each account field, seen from Salesforce (``SOURCE`` = Salesforce, ``TARGET`` =
ConnectWise, ``REVIEW`` = both write it, a change on both sides is a conflict): ConnectWise bills
the company, so it keeps its name, billing address, type (ConnectWise sets a company's types when
it creates it) and account number; sales data (industry, rating, lead source, revenue, head count,
account owner) belongs to Salesforce; phone, fax and website are kept by both. The ConnectWise id is
ConnectWise's. A field left out is ``REVIEW``."""

DEFAULT_CONTACT_OWNERS: Final[Mapping[str, Owner]] = {
    f"custom_fields.{CW_CONTACT_ID}": Owner.TARGET,
}
"""Who owns each contact field, seen from Salesforce: people are edited on both sides, so every
field is ``REVIEW`` but the ConnectWise id (ConnectWise's)."""

ID_FIELDS: Final = (
    CustomFieldMapping(record="Customer", name=CW_COMPANY_ID, salesforce="CW_Company_Id__c"),
    CustomFieldMapping(record="Contact", name=CW_CONTACT_ID, salesforce="CW_Contact_Id__c"),
)
"""The Salesforce fields holding the ConnectWise ids (the sandbox org's and the metadata package's)."""


class AccountsAndContacts:
    """The recipe: call it to sync both directions once; :meth:`flows` gives its four flows."""

    name: Final = NAME
    summary: Final = "Salesforce accounts and contacts <-> ConnectWise companies and contacts, both ways"
    systems: Final = ("salesforce", "connectwise")

    def flows(
        self,
        *,
        sf: Any,
        cw: Any,
        config: MappingConfig | None,
        owners: Mapping[str, Owner] | None = None,
        contact_owners: Mapping[str, Owner] | None = None,
        sf_integration_user: str | None = None,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
        vendor_types: Collection[str] = VENDOR_TYPES,
    ) -> tuple[Flow, Flow, Flow, Flow]:
        """The four flows, in the order they run: accounts -> companies, companies -> accounts,
        SF contacts -> CW contacts, CW contacts -> SF contacts (over sync or async clients).

        Args:
            sf: A ``SalesforceClient`` (or ``AsyncSalesforceClient``).
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            config: The ``MappingConfig`` (picklists, owners, custom fields); the id fields
                ``CW_Company_Id__c`` / ``CW_Contact_Id__c`` are added unless it maps them.
            owners: Account field owners seen from Salesforce (default
                :data:`DEFAULT_ACCOUNT_OWNERS`); a field left out is ``REVIEW``.
            contact_owners: Contact field owners seen from Salesforce (default
                :data:`DEFAULT_CONTACT_OWNERS`).
            sf_integration_user: The Salesforce user id msplink writes as (its changes are
                recognised as msplink's own without being read field by field).
            guards: Blast-radius limits for every flow.
            now: The clock of the adapters (default: the system clock).
            vendor_types: ConnectWise company types that are the MSP's suppliers, not accounts: they
                do not become Salesforce accounts (default ``("Vendor",)``; ``()`` carries every
                company).
        """
        asynchronous = is_async(sf, cw)
        cfg = with_custom_fields(config, ID_FIELDS)
        sf_cls = AsyncSalesforceAdapter if asynchronous else SalesforceAdapter
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        limits = guards or Guards()
        shared = SharedReads()  # each flow pair reads its sObject once (issue 18)

        account_row = comparable(find_mapper("salesforce", "Account", Customer))
        company_row = comparable(find_mapper("connectwise", "company", Customer), own_id_field=CW_COMPANY_ID)
        accounts = sf_cls(
            sf, account_row, config=cfg, external_id_field="CW_Company_Id__c",
            integration_user=sf_integration_user, now=now, shared=shared,
        )  # fmt: skip
        # no integration user on the ConnectWise side: the companies msplink creates are read back
        # (once) so their ids reach Salesforce; the ledger recognises everything else as an echo
        companies = cw_cls(cw, company_row, config=cfg, now=now)
        account_fields = (
            *ACCOUNT_FIELDS,
            *(("rating",) if cfg.account_ratings else ()),
            *custom_field_paths(cfg, "Customer"),
        )
        to_companies = Flow(
            name=ACCOUNTS,
            source=accounts,
            target=companies,
            source_mapper=account_row,
            target_mapper=company_row,
            config=cfg,
            direction=Direction.TWO_WAY,
            match=(
                by_link(),
                by_external_id(f"custom_fields.{CW_COMPANY_ID}", on="source"),
                by_name(),
                by_domain(("website",)),
            ),
            policies=_policies(owners, DEFAULT_ACCOUNT_OWNERS),
            fields=account_fields,
            guards=limits,
            fill_blanks=True,
        )
        to_accounts = to_companies.reversed(name=COMPANIES, filter=not_a_vendor(vendor_types))

        sf_contact_row = comparable(find_mapper("salesforce", "Contact", Contact))
        cw_contact_row = comparable(
            find_mapper("connectwise", "contact", Contact), own_id_field=CW_CONTACT_ID
        )
        sf_contacts = sf_cls(
            sf, sf_contact_row, config=cfg, external_id_field="CW_Contact_Id__c",
            integration_user=sf_integration_user, now=now, shared=shared,
        )  # fmt: skip
        # a create whose answer was lost is found again by its e-mail (people share last names)
        cw_contacts = cw_cls(cw, cw_contact_row, config=cfg, now=now, name_field="email")
        to_cw_contacts = Flow(
            name=SF_CONTACTS,
            source=sf_contacts,
            target=cw_contacts,
            source_mapper=sf_contact_row,
            target_mapper=cw_contact_row,
            config=cfg,
            direction=Direction.TWO_WAY,
            match=(by_link(), by_external_id(f"custom_fields.{CW_CONTACT_ID}", on="source"), by_email()),
            policies=_policies(contact_owners, DEFAULT_CONTACT_OWNERS),
            fields=(*CONTACT_FIELDS, *custom_field_paths(cfg, "Contact")),
            guards=limits,
            fill_blanks=True,
        )
        to_sf_contacts = to_cw_contacts.reversed(name=CW_CONTACTS)
        return to_companies, to_accounts, to_cw_contacts, to_sf_contacts

    def __call__(
        self,
        *,
        sf: Any,
        cw: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        owners: Mapping[str, Owner] | None = None,
        contact_owners: Mapping[str, Owner] | None = None,
        sf_integration_user: str | None = None,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
        vendor_types: Collection[str] = VENDOR_TYPES,
    ) -> SyncReport:
        """Sync Salesforce accounts and contacts with ConnectWise companies and contacts, both ways, once.

        Accounts -> companies runs first (new accounts become companies, Salesforce-owned fields
        flow), then companies -> accounts (new companies become accounts, ConnectWise-owned fields
        and the ConnectWise ids flow), then the contacts the same way, each finding its company or
        account through the identity map. Ambiguous matches and fields changed on both sides wait in
        ``state.conflicts()``; a contact whose company is not synced yet waits as a dead letter.

        Args:
            sf: A ``SalesforceClient`` (SOQL on ``SystemModstamp`` and ``/composite/sobjects`` of
                ``Account`` and ``Contact``).
            cw: A ``ConnectWiseClient`` (``GET/POST/PATCH /company/companies`` and ``/company/contacts``).
            state: The state store the four flows share.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            owners: Account field owners seen from Salesforce (default :data:`DEFAULT_ACCOUNT_OWNERS`).
            contact_owners: Contact field owners seen from Salesforce (default
                :data:`DEFAULT_CONTACT_OWNERS`).
            sf_integration_user: The Salesforce user id msplink writes as.
            guards: Blast-radius limits for every flow.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).
            vendor_types: ConnectWise company types that do not become Salesforce accounts (default
                ``("Vendor",)``, the suppliers ``purchase_orders_to_quickbooks`` makes QBO vendors).

        Returns:
            One report for the four flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if is_async(sf, cw):
            raise TypeError("async clients: run each of accounts_and_contacts.flows(...) with arun, in order")
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in self.flows(
                sf=sf, cw=cw, config=config, owners=owners, contact_owners=contact_owners,
                sf_integration_user=sf_integration_user, guards=guards, now=now, vendor_types=vendor_types,
            )
        ]  # fmt: skip
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


def _policies(given: Mapping[str, Owner] | None, default: Mapping[str, Owner]) -> tuple[FieldPolicy, ...]:
    return tuple(FieldPolicy(f, o) for f, o in sorted((default if given is None else given).items()))


accounts_and_contacts: Final = AccountsAndContacts()
"""SF accounts and contacts <-> CW companies and contacts, both directions:
``accounts_and_contacts(sf=..., cw=..., state=..., config=...)``; ``accounts_and_contacts.flows(...)``
for ``arun``."""
