"""Parts the ConnectWise -> Salesforce recipes share (``closed_won_to_connectwise``, ``tickets_to_cases``,
``renewals_to_salesforce``, ``invoices_to_salesforce``), built only from public parts of
:mod:`msplink.sync`, the adapters and the clients; copy them along with a recipe you vary.

- :func:`run_steps` / :func:`arun_steps`: drive a small plan (a generator yielding zero-argument
  calls) with sync or async clients, so a source or target that makes extra calls is written once;
- :class:`EnrichedSource` (and :class:`AsyncEnrichedSource`): a platform adapter whose pages are
  *expanded* before the engine sees them: a child collection read (ticket notes, agreement
  additions), records split in two (agreement terms), records added (invoices that fell due);
- :class:`AccountOwnerTarget` (and its async twin): a Salesforce target whose creates are owned by
  the owner of the Account they belong to (one retrieve per written batch);
- :func:`linked_to` and :class:`PlannedLinks`: "is this record (or the company it belongs to)
  linked to a Salesforce record?", against the state store, or during a dry run against the store
  plus the links a previous flow's dry run planned;
- :func:`company_account_flow`: ConnectWise companies linked to their Salesforce accounts (by the
  identity map, ``CW_Company_Id__c``, normalised name, web domain), creating missing accounts only
  when asked: the link every CW -> SF recipe needs to put a record "under the account".
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection, Generator, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final, TypeVar

import attrs

from msplink.errors import MsplinkError
from msplink.mappers import MappingConfig, find_mapper
from msplink.models import Customer, ExternalRef, Link
from msplink.sync import (
    Action,
    ChangePage,
    Direction,
    Flow,
    Guards,
    Intent,
    LookupRequest,
    RemoteRecord,
    StateStore,
    SyncReport,
    WriteOp,
    WriteResult,
    by_domain,
    by_external_id,
    by_link,
    by_name,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncSalesforceAdapter,
    ConnectWiseAdapter,
    SalesforceAdapter,
    SharedReads,
    SourceWrapper,
)
from msplink.sync.recipes._io_steps import gather

__all__ = [
    "COMPANY_LINK_FLOW",
    "AccountOwnerTarget",
    "AsyncAccountOwnerTarget",
    "AsyncEnrichedSource",
    "EnrichedSource",
    "Expand",
    "PlannedLinks",
    "Read",
    "Steps",
    "account_owner_target",
    "arun_steps",
    "company_account_flow",
    "cw_adapter",
    "enriched_source",
    "is_async",
    "link_refs",
    "linked_to",
    "planned_state",
    "run_steps",
    "same_kind",
    "sf_adapter",
]

T = TypeVar("T")

Steps = Generator[Callable[[], Any] | tuple[Callable[[], Any], ...], Any, T]
"""A plan: yields zero-argument calls (a client call, maybe returning an awaitable), receives their
results, returns its value. A tuple of calls is one step: their results as a tuple, in order (the
async driver runs up to :data:`CONCURRENT_CALLS` of them at once; the first error ends the plan)."""

CONCURRENT_CALLS: Final = 8
"""Calls of one tuple step in flight at once on async clients."""

Expand = Callable[[list[RemoteRecord], "Read | None"], Steps[list[RemoteRecord]]]
"""``expand(records, read)``: the records the engine sees instead of ``records``; ``read`` says which
read of changes they come from (``None`` for a fetch by id)."""

COMPANY_LINK_FLOW: Final = "crm:cw-companies-to-sf-accounts"
"""The flow linking ConnectWise companies to Salesforce accounts (``:create`` when it creates)."""


@attrs.frozen
class Read:
    """Where a page of changes comes from.

    Attributes:
        since: The read's start (``None``: everything).
        first_page: Whether this is its first page (add records the engine should see once per read).
    """

    since: datetime | None
    first_page: bool


OWNER_BATCH: Final = 2000
"""Account ids per ``POST /composite/sobjects/Account`` retrieve of their ``OwnerId``."""


def run_steps(steps: Steps[T]) -> T:
    """Drive a plan with sync clients."""
    try:
        call = next(steps)
        while True:
            call = steps.send(tuple(c() for c in call) if isinstance(call, tuple) else call())
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        steps.close()


async def arun_steps(steps: Steps[T]) -> T:
    """Drive a plan with async clients (awaiting what a call returns when it is awaitable)."""
    try:
        call = next(steps)
        while True:
            if isinstance(call, tuple):
                result: Any = await _gathered(call)
            else:
                result = await _awaited(call())
            call = steps.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        steps.close()


async def _awaited(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def _gathered(calls: tuple[Callable[[], Any], ...]) -> tuple[Any, ...]:
    results = await gather(calls, CONCURRENT_CALLS)
    failed = next((r for r in results if isinstance(r, MsplinkError)), None)
    if failed is not None:
        raise failed  # as a single call's error would: the plan ends
    return results


def is_async(client: Any) -> bool:
    """Whether a client is an ``Async*Client`` (its ``request`` is a coroutine function)."""
    return inspect.iscoroutinefunction(getattr(client, "request", None))


def same_kind(*clients: Any) -> bool:
    """Whether the clients are all sync or all async (raises ``TypeError`` for a mix)."""
    kinds = {is_async(c) for c in clients}
    if len(kinds) > 1:
        raise TypeError("pass sync clients only, or async clients only")
    return kinds == {True}


def cw_adapter(client: Any, mapper: Any, **options: Any) -> Any:
    """A ``ConnectWiseAdapter`` (or its async twin, for an async client)."""
    cls = AsyncConnectWiseAdapter if is_async(client) else ConnectWiseAdapter
    return cls(client, mapper, **options)


def sf_adapter(client: Any, mapper: Any, **options: Any) -> Any:
    """A ``SalesforceAdapter`` (or its async twin, for an async client)."""
    cls = AsyncSalesforceAdapter if is_async(client) else SalesforceAdapter
    return cls(client, mapper, **options)


# ------------------------------------------------------------------------------- enriched sources


class _Enriched(SourceWrapper):
    """What the sync and async enriched sources share: the inner adapter's identity and counters
    (the expansion calls through the same client)."""

    def __init__(
        self,
        inner: Any,
        expand: Expand,
        *,
        object: str | None = None,
        fetch_ids: Callable[[Sequence[str]], Sequence[str]] | None = None,
    ) -> None:
        super().__init__(inner)
        self.expand = expand
        self._object = object
        self.fetch_ids = fetch_ids or (lambda ids: list(ids))

    @property
    def object(self) -> str:
        """The object the records are (the inner adapter's, unless the expansion makes others)."""
        value: str = self._object or self.inner.object
        return value


class EnrichedSource(_Enriched):
    """A sync :class:`~msplink.sync.Source` over an adapter whose records are expanded first.

    Args:
        inner: The adapter that reads the changes (``ConnectWiseAdapter`` ...).
        expand: ``expand(records, read)``: the records to hand to the engine (a plan, see
            :data:`Steps`).
        object: The object of the records handed over, when the expansion changes it.
        fetch_ids: The inner ids to fetch for the ids of records handed over, when the expansion
            makes records of its own (default: the same ids).
    """

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """The inner page, its records expanded."""
        page: ChangePage = self.inner.read_changes(since, page_token)
        records = run_steps(self.expand(list(page.records), Read(since, page_token is None)))
        return attrs.evolve(page, records=records)

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """The inner fetch, expanded."""
        return run_steps(self.expand(list(self.inner.fetch(self.fetch_ids(ids))), None))

    def list_ids(self) -> list[str]:
        """The inner adapter's ids."""
        return list(self.inner.list_ids())


class AsyncEnrichedSource(_Enriched):
    """The async twin of :class:`EnrichedSource` (over an async adapter and async clients)."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`EnrichedSource.read_changes`."""
        page: ChangePage = await self.inner.read_changes(since, page_token)
        records = await arun_steps(self.expand(list(page.records), Read(since, page_token is None)))
        return attrs.evolve(page, records=records)

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`EnrichedSource.fetch`."""
        return await arun_steps(self.expand(list(await self.inner.fetch(self.fetch_ids(ids))), None))

    async def list_ids(self) -> list[str]:
        """See :meth:`EnrichedSource.list_ids`."""
        return list(await self.inner.list_ids())


def enriched_source(
    inner: Any,
    expand: Expand,
    *,
    object: str | None = None,
    fetch_ids: Callable[[Sequence[str]], Sequence[str]] | None = None,
) -> EnrichedSource | AsyncEnrichedSource:
    """An :class:`EnrichedSource` (its expansion calls through the inner adapter's client), or its async
    twin when ``inner`` is an async adapter."""
    cls = AsyncEnrichedSource if inspect.iscoroutinefunction(inner.read_changes) else EnrichedSource
    return cls(inner, expand, object=object, fetch_ids=fetch_ids)


# ------------------------------------------------------------------------------- owner target


def _owners_plan(
    sf: Any, ops: Sequence[WriteOp], account_field: str, shared: SharedReads | None = None
) -> Steps[list[WriteOp]]:
    """The ops with each create's ``OwnerId`` set to its account's owner (creates that name no owner);
    an account the run read already (``shared``, when it reads ``OwnerId``) is not retrieved again."""
    wanted: dict[str, list[int]] = {}
    for n, op in enumerate(ops):
        payload = op.payload
        if op.action is Action.CREATE and payload is not None and getattr(payload, "owner_id", None) is None:
            account = getattr(payload, account_field, None)
            if isinstance(account, str) and account.startswith("001"):
                wanted.setdefault(account, []).append(n)
    if not wanted:
        return list(ops)
    owners: dict[str, str] = {}
    ids = sorted(wanted)
    if shared is not None and shared.reads("Account", "OwnerId"):
        known, ids = shared.held("Account", ids, deleted=False)
        owners.update({str(row.id): str(row.owner_id) for row in known if row.owner_id})
    for start in range(0, len(ids), OWNER_BATCH):
        chunk = ids[start : start + OWNER_BATCH]
        rows = yield functools.partial(sf.accounts.retrieve, chunk, fields=["OwnerId"])
        owners.update(
            {i: str(row.owner_id) for i, row in zip(chunk, rows, strict=True) if row and row.owner_id}
        )
    out = list(ops)
    for account, positions in wanted.items():
        owner = owners.get(account)
        if owner is None:
            continue
        for n in positions:
            out[n] = attrs.evolve(out[n], payload=attrs.evolve(out[n].payload, owner_id=owner))
    return out


class _OwnerTarget(SourceWrapper):
    """The inner adapter's identity and counters (the owner look-ups go through the same client)."""

    def __init__(self, inner: Any, sf: Any, *, account_field: str) -> None:
        super().__init__(inner)
        self.sf = sf
        self.account_field = account_field
        self.shared: SharedReads | None = getattr(inner, "shared", None)
        """The inner adapter's shared reads: the accounts the run read answer their owners."""

    @property
    def batch_size(self) -> int:
        """The inner adapter's."""
        return int(self.inner.batch_size)

    @property
    def plan_records(self) -> int:
        """The inner adapter's."""
        return int(self.inner.plan_records)

    def now(self) -> datetime:
        """The inner adapter's clock (the engine journals creates by it)."""
        moment: datetime = self.inner.now()
        return moment

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r})"


class AccountOwnerTarget(_OwnerTarget):
    """A sync Salesforce :class:`~msplink.sync.Target` whose creates belong to their account's owner.

    A create whose record names an account (``account_field``: ``account_id`` of an Opportunity,
    ``what_id`` of a Task) and no owner gets ``OwnerId`` = the account's ``OwnerId``, read with one
    sObject Collections retrieve (``POST /composite/sobjects/Account``, ``fields=OwnerId``) per
    written batch, of the accounts the run has not read already (the inner adapter's
    :class:`~msplink.sync.adapters.salesforce.SharedReads`). Updates never touch the
    owner: people reassign records in Salesforce.

    Args:
        inner: The ``SalesforceAdapter`` that writes.
        sf: Its ``SalesforceClient``.
        account_field: The payload attribute holding the account id.
    """

    def lookup(self, request: LookupRequest) -> Sequence[RemoteRecord]:
        """The inner look-up."""
        found: Sequence[RemoteRecord] = self.inner.lookup(request)
        return found

    def write(self, ops: Sequence[WriteOp]) -> Sequence[WriteResult]:
        """Owners filled in, then the inner write."""
        owned = run_steps(_owners_plan(self.sf, ops, self.account_field, self.shared))
        written: Sequence[WriteResult] = self.inner.write(owned)
        return written

    def settle(self, intents: Sequence[Intent]) -> Sequence[RemoteRecord | None]:
        """The inner settlement."""
        found: Sequence[RemoteRecord | None] = self.inner.settle(intents)
        return found


class AsyncAccountOwnerTarget(_OwnerTarget):
    """The async twin of :class:`AccountOwnerTarget`."""

    async def lookup(self, request: LookupRequest) -> Sequence[RemoteRecord]:
        """See :meth:`AccountOwnerTarget.lookup`."""
        found: Sequence[RemoteRecord] = await self.inner.lookup(request)
        return found

    async def write(self, ops: Sequence[WriteOp]) -> Sequence[WriteResult]:
        """See :meth:`AccountOwnerTarget.write`."""
        owned = await arun_steps(_owners_plan(self.sf, ops, self.account_field, self.shared))
        written: Sequence[WriteResult] = await self.inner.write(owned)
        return written

    async def settle(self, intents: Sequence[Intent]) -> Sequence[RemoteRecord | None]:
        """See :meth:`AccountOwnerTarget.settle`."""
        found: Sequence[RemoteRecord | None] = await self.inner.settle(intents)
        return found


def account_owner_target(
    inner: Any, sf: Any, *, account_field: str
) -> AccountOwnerTarget | AsyncAccountOwnerTarget:
    """An :class:`AccountOwnerTarget`, or its async twin for an async client."""
    cls = AsyncAccountOwnerTarget if is_async(sf) else AccountOwnerTarget
    return cls(inner, sf, account_field=account_field)


# ------------------------------------------------------------------------------------- links


def linked_to(state: Any, system: str, object: str) -> Callable[[Iterable[ExternalRef]], bool]:
    """A predicate: is any of these refs linked, in the identity map, to a record of ``(system, object)``?

    Use it on a record's ``refs`` (is this ticket linked to a Case?) or on a link's ``refs`` (is the
    ticket's company linked to an Account?).
    """

    def check(refs: Iterable[ExternalRef]) -> bool:
        for ref in refs:
            if any(r.system == system and r.object_type == object for r in state.links(ref)):
                return True
        return False

    return check


def link_refs(link: Link | None) -> frozenset[ExternalRef]:
    """The refs of a link (none for ``None``)."""
    return link.refs if link is not None else frozenset()


class PlannedLinks:
    """A state store as a dry run of a later flow should see it: the store, plus the links the dry
    runs of the flows before it planned (``LINK`` outcomes with both records known).

    Only the identity-map reads answer differently (``identities``, ``linked``, ``links``, ``pairs``);
    everything else is the store's. A planned create has no target id yet, so it links nothing here.

    Args:
        inner: The state store.
        reports: The dry-run reports of the flows that run first.
    """

    def __init__(self, inner: StateStore, reports: Iterable[SyncReport]) -> None:
        self._inner = inner
        self._entity: dict[ExternalRef, str] = {}
        self._members: dict[str, tuple[ExternalRef, ...]] = {}
        for report in reports:
            for outcome in report.outcomes:
                target = outcome.target
                if outcome.action is not Action.LINK or target is None:
                    continue
                known = inner.identities([outcome.source, target])
                if known:
                    continue
                entity = f"planned:{outcome.source}"
                self._members[entity] = (outcome.source, target)
                self._entity[outcome.source] = self._entity[target] = entity

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def identities(self, refs: Iterable[ExternalRef]) -> dict[ExternalRef, tuple[str, str | None]]:
        """The store's answer plus the planned links."""
        refs = list(refs)
        found = self._inner.identities(refs)
        for ref in refs:
            if ref not in found and ref in self._entity:
                found[ref] = (self._entity[ref], None)
        return found

    def linked(self, entities: Iterable[str], system: str, object: str | None) -> dict[str, ExternalRef]:
        """The store's answer plus the planned links."""
        entities = list(entities)
        found = self._inner.linked([e for e in entities if e not in self._members], system, object)
        for entity in entities:
            for ref in self._members.get(entity, ()):
                if ref.system == system and (object is None or ref.object_type == object):
                    found[entity] = ref
        return found

    def links(self, entity: str | ExternalRef) -> tuple[ExternalRef, ...]:
        """The store's answer plus the planned links."""
        key = self._entity.get(entity) if isinstance(entity, ExternalRef) else entity
        if key is not None and key in self._members:
            return self._members[key]
        found: tuple[ExternalRef, ...] = self._inner.links(entity)
        return found

    def pairs(self, a: tuple[str, str], b: tuple[str, str]) -> list[tuple[str, str]]:
        """The store's answer plus the planned links."""
        found = list(self._inner.pairs(a, b))
        for first, second in self._members.values():
            sides = {
                (first.system, first.object_type): first.id,
                (second.system, second.object_type): second.id,
            }
            if a in sides and b in sides:
                found.append((sides[a], sides[b]))
        return found


def planned_state(state: StateStore, dry_run: bool, reports: Collection[SyncReport]) -> Any:
    """``state`` itself, or during a dry run :class:`PlannedLinks` over it and ``reports``."""
    return PlannedLinks(state, reports) if dry_run and reports else state


# ------------------------------------------------------------------------------ company links


def company_account_flow(
    *,
    cw: Any,
    sf: Any,
    config: MappingConfig | None,
    create_accounts: bool = False,
    cw_integration_user: str | None = None,
    now: Callable[[], datetime] | None = None,
    shared: SharedReads | None = None,
) -> Flow:
    """ConnectWise companies linked to their Salesforce accounts (``GET /company/companies`` -> SOQL on
    ``Account``): the identity-map links the CW -> SF recipes put records "under the account" by.

    Matching: the identity map, then ``CW_Company_Id__c`` (an account that already names the company),
    then the normalised name, then the web domain; an ambiguous name waits in the conflict log. A
    matched account is only linked, never changed (the accounts and contacts sync owns that). With
    ``create_accounts`` a company with no account gets one (name, phone, website, billing address,
    ``CW_Company_Id__c``); the flow is then ``crm:cw-companies-to-sf-accounts:create``.

    Args:
        cw: A ConnectWise client (sync or async).
        sf: A Salesforce client of the same kind.
        config: The ``MappingConfig``.
        create_accounts: Create an account for a company that has none.
        cw_integration_user: The ConnectWise API member msplink writes as.
        now: The clock of the adapters.
    """
    company = find_mapper("connectwise", "company", Customer)
    account = find_mapper("salesforce", "Account", Customer)
    fields: tuple[str, ...] = ("name",)
    if create_accounts:
        fields = (
            "name",
            "phone",
            "website",
            "billing_address.line1",
            "billing_address.line2",
            "billing_address.city",
            "billing_address.region",
            "billing_address.postal_code",
            "billing_address.country",
        )
    return Flow(
        name=COMPANY_LINK_FLOW + (":create" if create_accounts else ""),
        source=cw_adapter(cw, company, config=config, integration_user=cw_integration_user, now=now),
        target=sf_adapter(
            sf,
            account,
            config=config,
            external_id_field="CW_Company_Id__c",
            now=now,
            shared=shared or SharedReads(),
        ),
        source_mapper=company,
        target_mapper=account,
        config=config,
        direction=Direction.ONE_WAY,
        match=(by_link(), by_external_id("refs.connectwise.company"), by_name(), by_domain()),
        fields=fields,
        guards=Guards(allow_create=create_accounts, allow_update=False),
        overlap=timedelta(minutes=1),
    )
