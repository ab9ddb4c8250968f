"""Sources of ``closed_won_to_connectwise``: the records of Closed Won opportunities, read from the
opportunities' changes.

A won opportunity often belongs to an account (and contacts) that did not change, so a flow of
accounts read by their own changes would never see it. These sources read the *won* opportunities
changed since the flow's watermark (the Opportunity adapter with ``where={"IsWon": True}``: SOQL on
``SystemModstamp`` paged by keyset) and hand over, per page, either their accounts, the primary
contacts of those accounts, or the opportunities themselves (with their primary contact), each read
through the object's own adapter (which knows the org's fields). Every record carries its
opportunity's ``SystemModstamp`` as its change time, so the flow's watermark follows the opportunities.

Salesforce keeps no primary flag on a contact; the *primary contacts* of an account are its earliest
created contact (``primary="first"``) or all of them (``primary="all"``), read with
``SalesforceAdapter.related("AccountId", ...)``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Literal

import attrs

from msplink.sync import ChangePage, RemoteRecord
from msplink.sync.recipes._cw_to_sf import Steps, arun_steps, is_async, run_steps

__all__ = ["AsyncWonRecords", "WonOpportunity", "WonRecords", "won_records"]

View = Literal["Account", "Contact", "Opportunity"]
Contacts = Literal["first", "all"]

_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


@attrs.frozen
class WonOpportunity:
    """A won opportunity as the opportunity view hands it over.

    Attributes:
        opportunity: The opportunity (as its adapter reads it).
        contact: The Salesforce id of its account's primary contact, if it has one.
    """

    opportunity: Any
    contact: str | None = None


def _call(method: Any, *args: Any) -> Any:
    return method(*args)


class _Won:
    """The plans of the won-opportunity sources (one view)."""

    system = "salesforce"
    has_delete_feed = False
    integration_user: str | None = None

    def __init__(
        self,
        sf: Any,
        *,
        view: View,
        opportunities: Any,
        accounts: Any = None,
        contacts: Any = None,
        primary: Contacts = "first",
    ) -> None:
        self.sf = sf
        self.view: View = view
        self.opportunities = opportunities
        self.accounts = accounts
        self.contacts = contacts
        self.primary: Contacts = primary
        adapter = {"Account": accounts, "Contact": contacts, "Opportunity": opportunities}[view]
        if adapter is None or contacts is None:
            raise ValueError(f"the {view} view needs the {view} and Contact adapters")
        if getattr(opportunities, "where", {}).get("IsWon") is not True:
            raise ValueError(
                'the opportunities adapter must read won opportunities only: where={"IsWon": True}'
            )
        self._adapter = adapter

    @property
    def object(self) -> str:
        """The sObject of the records handed over."""
        return self.view

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The Salesforce client's calls."""
        return {"salesforce": int(self.sf.api_calls.total)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(won opportunities -> {self.view})"

    # --- plans ------------------------------------------------------------------------------

    def _primary_contacts(self, account_ids: Sequence[str]) -> Steps[dict[str, list[RemoteRecord]]]:
        """The primary contacts of each account: its earliest created contact, or all of them."""
        if not account_ids:
            return {}
        found = yield functools.partial(_call, self.contacts.related, "AccountId", sorted(set(account_ids)))
        ordered = sorted(found, key=lambda r: (r.data.created_date or _EPOCH, r.id))
        out: dict[str, list[RemoteRecord]] = {}
        for record in ordered:
            if record.data is None or record.deleted:
                continue
            kept = out.setdefault(str(record.data.account_id), [])
            if self.primary == "all" or not kept:
                kept.append(record)
        return out

    def _fetch(self, adapter: Any, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        if not ids:
            return []
        found = yield functools.partial(_call, adapter.fetch, list(ids))
        return list(found)

    def _read(self, since: datetime | None, token: str | None) -> Steps[ChangePage]:
        page: ChangePage = yield functools.partial(_call, self.opportunities.read_changes, since, token)
        won = [r for r in page.records if not r.deleted and r.data is not None]
        records = yield from self._view(won)
        return ChangePage(records=records, next_token=page.next_token, ordered=page.ordered)

    def _view(self, won: list[RemoteRecord]) -> Steps[list[RemoteRecord]]:
        """The view's records for some won opportunities (their change time: the opportunity's)."""
        stamps: dict[str, datetime] = {}  # account id -> its newest won opportunity's change time
        for record in won:
            account = record.data.account_id
            if account and record.updated_at is not None:
                stamps[str(account)] = max(record.updated_at, stamps.get(str(account), record.updated_at))
        if self.view == "Account":
            found = yield from self._fetch(self.accounts, sorted(stamps))
            return [attrs.evolve(r, updated_at=stamps.get(r.id, r.updated_at)) for r in found]
        primary = yield from self._primary_contacts(sorted(stamps))
        if self.view == "Contact":
            return [
                attrs.evolve(contact, updated_at=stamps.get(account, contact.updated_at))
                for account, contacts in sorted(primary.items())
                for contact in contacts
            ]
        out = []
        for record in won:
            contacts = primary.get(str(record.data.account_id or ""), [])
            data = WonOpportunity(opportunity=record.data, contact=contacts[0].id if contacts else None)
            out.append(attrs.evolve(record, data=data))
        return out

    def _fetch_ids(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        if self.view != "Opportunity":
            found = yield from self._fetch(self._adapter, list(ids))
            return found
        opportunities = yield from self._fetch(self.opportunities, list(ids))
        records = yield from self._view([r for r in opportunities if not r.deleted and r.data is not None])
        return records

    def _list_ids(self) -> Steps[list[str]]:
        found = yield functools.partial(_call, self._adapter.list_ids)
        return list(found)


class WonRecords(_Won):
    """A sync :class:`~msplink.sync.Source` of the records of won opportunities (one view).

    Args:
        sf: The ``SalesforceClient``.
        view: What to hand over: ``Account``, ``Contact`` (the accounts' primary contacts) or
            ``Opportunity`` (as :class:`WonOpportunity`).
        opportunities: The ``SalesforceAdapter`` of Opportunity, reading won ones only
            (``where={"IsWon": True}``).
        accounts: The ``SalesforceAdapter`` of Account (the account view).
        contacts: The ``SalesforceAdapter`` of Contact (primary contacts).
        primary: ``first`` (the earliest created contact of an account) or ``all``.
    """

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """One page of won opportunities changed at or after ``since``, as the view's records."""
        return run_steps(self._read(since, page_token))

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """The view's records by id."""
        return run_steps(self._fetch_ids(ids))

    def list_ids(self) -> list[str]:
        """Every id of the view's object."""
        return run_steps(self._list_ids())


class AsyncWonRecords(_Won):
    """The async twin of :class:`WonRecords`."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`WonRecords.read_changes`."""
        return await arun_steps(self._read(since, page_token))

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`WonRecords.fetch`."""
        return await arun_steps(self._fetch_ids(ids))

    async def list_ids(self) -> list[str]:
        """See :meth:`WonRecords.list_ids`."""
        return await arun_steps(self._list_ids())


def won_records(sf: Any, **options: Any) -> WonRecords | AsyncWonRecords:
    """A :class:`WonRecords`, or its async twin for an async client."""
    return (AsyncWonRecords if is_async(sf) else WonRecords)(sf, **options)
