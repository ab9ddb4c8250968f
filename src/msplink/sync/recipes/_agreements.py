"""CW recurring agreements -> QBO recurring invoice templates (DESIGN §1 use case 6).

One flow, ``cw-agreements-to-qbo-recurring-invoices``: each active recurring CW agreement becomes one QBO
recurring *invoice* template (``RecurringTransaction`` wrapping an ``Invoice``, ``RecurType``
``Automated``) for the agreement's company (linked to its QBO customer by ``companies_and_customers``):

- schedule = the billing cycle (monthly ``Monthly`` x 1, quarterly ``Monthly`` x 3, yearly ``Yearly`` x
  1 ..., :data:`msplink.mappers.quickbooks.INTERVALS`), starting at the agreement's next invoice date
  (or the first cycle boundary from its billing start on or after today), ending at its end date;
- lines = the agreement's fixed ``billAmount`` (on the ``Agreement`` product class's item), then every
  addition billable today, quantity x unit price per cycle, on the addition's QBO item (its catalog
  item, else the ``Agreement`` product class's item, else ``default_item``);
- name = the agreement's name and its CW id (``Acme - Managed Services monthly #12``: QuickBooks keeps
  template names unique); a template already there with that name is linked rather than created again.

A cancelled or expired agreement (or one past its end date) deactivates its template
(``RecurringInfo.Active = false``); one without a template gets none. One-time agreements have no
schedule and are skipped (reason ``unmapped``). A later change of the agreement (an addition, a
quantity, the end date, the terms) updates the template.

QuickBooks documents create, read, query and delete for ``RecurringTransaction``, and no ``/batch``
support: templates are written one call each, ``POST /recurringtransaction?requestid=...``; a change is
that same call with the template's ``Id`` and ``SyncToken`` inside, as python-quickbooks saves
templates (``RecurringTransaction`` with ``UpdateNoIdMixin``).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import partial
from typing import Any, Final, cast

import attrs

from msplink.errors import MappingError, MsplinkError
from msplink.mappers import MappingConfig, find_mapper
from msplink.models import (
    CONNECTWISE,
    MONTHLY_FACTORS,
    QUICKBOOKS,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillingCycle,
    ExternalRef,
    Link,
)
from msplink.sync import (
    Action,
    ChangePage,
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Intent,
    LookupRequest,
    Owner,
    RemoteRecord,
    StateStore,
    SyncReport,
    WriteOp,
    WriteResult,
    by_link,
    by_name,
    run,
)
from msplink.sync._identity import name_key
from msplink.sync._values import decode
from msplink.sync.adapters import AsyncConnectWiseAdapter, ConnectWiseAdapter
from msplink.sync.adapters._base import KeyIndex, chunks, index_due, index_read, index_since
from msplink.sync.adapters.quickbooks import PAGE_SIZE, changed_since, with_ids
from msplink.sync.recipes._io_steps import (
    AsyncOperations,
    Call,
    Items,
    Many,
    Operations,
    RecipeMapper,
    Steps,
    SyncOperations,
    every,
    is_async_client,
)

__all__ = [
    "AGREEMENT_FLOW",
    "TEMPLATE_FIELDS",
    "AgreementsToQuickBooks",
    "Contract",
    "agreements_to_quickbooks",
    "read_agreements",
    "template_view",
]

NAME: Final = "agreements_to_quickbooks"
AGREEMENT_FLOW: Final = "cw-agreements-to-qbo-recurring-invoices"
TEMPLATE_OBJECT: Final = "RecurringTransaction"
TEMPLATE_FIELDS: Final = (
    "name",
    "start_date",
    "customer",
    "billing_cycle",
    "status",
    "end_date",
    "additions",
    "terms",
    "description",
)
"""What a template carries from its agreement (and what a change of it updates; ``start_date``, the
schedule's first date, is written once: QuickBooks owns the schedule's progress after that)."""
SETTLE_SKEW: Final = timedelta(minutes=5)


@attrs.frozen(kw_only=True)
class Contract:
    """A CW agreement as the flow reads it.

    Attributes:
        agreement: The wire agreement.
        additions: Its additions (read only when it needs a template).
        customer: The QBO customer id linked to its company, when linked.
        templated: Whether it already has a template (linked in the identity map).
        today: The day its billable additions, status and schedule are judged on.
    """

    agreement: Any
    additions: tuple[Any, ...] = ()
    customer: str | None = None
    templated: bool = False
    today: date


def _months(cycle: BillingCycle) -> int:
    factor = MONTHLY_FACTORS[cycle]
    return max(1, round(1 / factor)) if factor else 0


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_billing(agreement: Agreement, today: date) -> date | None:
    """When the template's first invoice is due: the agreement's next invoice date when it is still
    ahead, else the first cycle boundary from its billing start (or start) on or after ``today``."""
    if agreement.next_invoice_date is not None and agreement.next_invoice_date >= today:
        return agreement.next_invoice_date
    start = agreement.bill_start_date or agreement.start_date
    if start is None:
        return today
    if agreement.billing_cycle in (BillingCycle.WEEKLY, BillingCycle.BIWEEKLY):
        step = 7 if agreement.billing_cycle is BillingCycle.WEEKLY else 14
        behind = max(0, (today - start).days)
        return start + timedelta(days=-(-behind // step) * step)
    months = _months(agreement.billing_cycle)
    day, k = start, 0
    while day < today:
        k += 1
        day = _add_months(start, k * months)
    return day


def template_name(agreement: Agreement) -> str:
    """``<agreement name> #<CW id>``, at most 100 characters: QuickBooks keeps template names unique, and a
    company may hold two agreements of the same name."""
    suffix = f" #{agreement.id_for(CONNECTWISE, 'agreement')}" if agreement.id_for(CONNECTWISE) else ""
    return agreement.name[: 100 - len(suffix)].rstrip() + suffix


def template_view(
    agreement: Agreement, config: MappingConfig, today: date, customer: str | None
) -> Agreement:
    """The agreement as its QBO template shows it: lines on QBO items, status of the day, schedule start.

    Both sides of the flow are compared in this form, so a template equals its agreement exactly when
    nothing needs writing.

    Raises:
        MappingError: An addition has no QBO item (and there is no ``default_item``).
    """
    lines: list[AgreementAddition] = []
    if agreement.bill_amount is not None and not agreement.bill_amount.is_zero():
        item = config.qbo_item_for(sku=None, product_class="Agreement", path="Agreement.bill_amount")
        lines.append(
            AgreementAddition(
                unit_price=agreement.bill_amount,
                product=Link.to(QUICKBOOKS, "Item", item),
                description=agreement.description or agreement.name,
                taxable=bool(agreement.taxable),
            )
        )
    for i, addition in enumerate(agreement.additions):
        if not addition.is_active(today) or addition.billed_quantity == 0:
            continue
        item = config.qbo_item_for(
            sku=addition.sku, product_class="Agreement", path=f"Agreement.additions[{i}]"
        )
        taxable = addition.taxable if addition.taxable is not None else agreement.taxable
        lines.append(
            AgreementAddition(
                unit_price=addition.unit_price,
                quantity=addition.billed_quantity,
                product=Link.to(QUICKBOOKS, "Item", item),
                description=addition.description,
                taxable=bool(taxable),
            )
        )
    link = agreement.customer
    if customer is not None:
        link = link.with_ref(ExternalRef(QUICKBOOKS, "Customer", customer))
    active = agreement.is_active(today)
    return Agreement(
        refs=agreement.refs,
        updated_at=agreement.updated_at,
        name=template_name(agreement),
        customer=link,
        currency=agreement.currency,
        billing_cycle=agreement.billing_cycle,
        agreement_type=agreement.agreement_type,
        status=AgreementStatus.ACTIVE if active else AgreementStatus.INACTIVE,
        end_date=None if agreement.no_end_date else agreement.end_date,
        no_end_date=agreement.no_end_date or agreement.end_date is None,
        start_date=next_billing(agreement, today),
        additions=tuple(lines),
        terms=agreement.terms,
        tax_code=agreement.tax_code,
        taxable=agreement.taxable,
        description=agreement.description,
    )


def _template_of(agreement: Agreement) -> Agreement:
    """A template read back from QuickBooks, in the form :func:`template_view` gives an agreement."""
    lines = tuple(
        AgreementAddition(
            unit_price=a.unit_price,
            quantity=a.quantity,
            product=Link.to(QUICKBOOKS, "Item", a.product.id_for(QUICKBOOKS, "Item") or "")
            if a.product is not None
            else None,
            description=a.description,
            taxable=bool(a.taxable),
        )
        for a in agreement.additions
    )
    return attrs.evolve(
        agreement,
        additions=lines,
        status=AgreementStatus.ACTIVE
        if agreement.status is AgreementStatus.ACTIVE
        else AgreementStatus.INACTIVE,
    )


def contract_mapper() -> RecipeMapper:
    """The source mapper: a :class:`Contract` -> its template view (``None``: it needs no template)."""
    row = find_mapper(CONNECTWISE, "agreement", Agreement)

    def to_canonical(contract: Contract, config: Any) -> Agreement | None:
        cfg = config if isinstance(config, MappingConfig) else MappingConfig()
        agreement: Agreement = cast(Any, row.to_canonical)(
            contract.agreement, cfg, additions=contract.additions
        )
        if agreement.billing_cycle is BillingCycle.ONE_TIME:
            return None  # no schedule: billed once, by an invoice
        if not contract.templated and not agreement.is_active(contract.today):
            return None  # ended before it ever had a template
        return template_view(agreement, cfg, contract.today, contract.customer)

    def refuse(record: Any, config: Any) -> Any:
        raise MappingError("Agreement", "the agreements flow writes QuickBooks only")

    return RecipeMapper(to_canonical=to_canonical, from_canonical=refuse, reads=TEMPLATE_FIELDS)


def template_mapper() -> RecipeMapper:
    """The target mapper: QBO recurring invoice template <-> its view (the table row, both ways)."""
    row = find_mapper(QUICKBOOKS, TEMPLATE_OBJECT, Agreement)

    def to_canonical(wire: Any, config: Any) -> Agreement:
        return _template_of(row.to_canonical(wire, config))  # type: ignore[misc]

    def from_canonical(view: Agreement, config: Any) -> Any:
        return row.from_canonical(view, config)  # type: ignore[misc]

    return RecipeMapper(
        to_canonical=to_canonical,
        from_canonical=from_canonical,
        reads=TEMPLATE_FIELDS,
        writes=TEMPLATE_FIELDS,
    )


def _linked(state: StateStore, ref: ExternalRef, system: str, object_type: str) -> str | None:
    for found in state.links(ref):
        if found.system == system and found.object_type == object_type:
            return found.id
    return None


def _raw(value: Any) -> Mapping[str, Any]:
    raw = getattr(value, "raw", value)
    return raw if isinstance(raw, Mapping) else {}


class _Contracts(Operations):
    """CW agreements (``GET /finance/agreements``, ``lastUpdated`` windows) with their additions
    (``GET /finance/agreements/{id}/additions``, one call per agreement that needs a template); after the
    changes, the agreements that ended since the last read (``endDate`` between it and today), which may
    not have changed at all but must deactivate their template."""

    system = CONNECTWISE
    object = "agreement"
    integration_user: str | None = None
    has_delete_feed = False

    def __init__(self, *, cw: Any, agreements: Any, state: StateStore, today: date) -> None:
        self.cw = cw
        self.agreements = agreements
        self.state = state
        self.today = today

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The ConnectWise client's own request counter."""
        return dict(self.agreements.api_calls)

    def _expand(self, records: Sequence[RemoteRecord]) -> Steps[list[RemoteRecord]]:
        recurring = [
            int(r.id)
            for r in records
            if not r.deleted
            and (_raw(r.data).get("billingCycle") is not None or not _raw(r.data).get("oneTimeFlag"))
        ]
        # one read per agreement (ConnectWise serves additions only under their agreement), all of the
        # page's at once: concurrently on async clients
        listed = yield from every([partial(_additions, self.cw, n) for n in recurring])
        additions_of: dict[int, tuple[Any, ...]] = {
            n: tuple(found) for n, found in zip(recurring, listed, strict=True)
        }
        out: list[RemoteRecord] = []
        for record in records:
            if record.deleted:
                out.append(record)
                continue
            raw = _raw(record.data)
            ref = ExternalRef(CONNECTWISE, "agreement", record.id)
            templated = _linked(self.state, ref, QUICKBOOKS, TEMPLATE_OBJECT) is not None
            company = raw.get("company")
            company_id = (
                str(company.get("id")) if isinstance(company, Mapping) and company.get("id") else None
            )
            customer = (
                _linked(self.state, ExternalRef(CONNECTWISE, "company", company_id), QUICKBOOKS, "Customer")
                if company_id
                else None
            )
            additions = additions_of.get(int(record.id), ())
            stamps = ",".join(
                f"{_raw(a).get('id')}@{(_raw(a).get('_info') or {}).get('lastUpdated')}" for a in additions
            )
            contract = Contract(
                agreement=record.data,
                additions=additions,
                customer=customer,
                templated=templated,
                today=self.today,
            )
            version = f"{record.version}|{stamps}|{customer or ''}|{templated}|{_state_of(raw, self.today)}"
            out.append(attrs.evolve(record, data=contract, version=version))
        return out

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        if page_token == "ended":
            assert since is not None  # noqa: S101 - the ended phase follows a read with a watermark
            low = since.astimezone(timezone.utc).date() - timedelta(days=1)
            where = f"endDate >= [{low.isoformat()}T00:00:00Z] AND endDate <= [{self.today.isoformat()}T00:00:00Z]"
            items = yield Items(lambda: self.cw.agreements.list(where=where))
            records = [self.agreements.remote(i) for i in items]
            return ChangePage(records=(yield from self._expand(records)), next_token=None, ordered=False)
        page = yield Call(lambda: self.agreements.read_changes(since, page_token))
        records = yield from self._expand(list(page.records))
        following = page.next_token or ("ended" if since is not None else None)
        return ChangePage(records=records, next_token=following, ordered=False)

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        found = yield Call(lambda: self.agreements.fetch(list(ids)))
        return (yield from self._expand(list(found)))

    def _list_ids(self) -> Steps[list[str]]:
        ids = yield Call(lambda: self.agreements.list_ids())
        return list(ids)


def _additions(cw: Any, agreement_id: int) -> Any:
    """``GET /finance/agreements/{id}/additions``, every page (a list; a coroutine of one on async clients)."""
    return cw.agreements.additions(agreement_id).list().to_list()


def _state_of(raw: Mapping[str, Any], today: date) -> str:
    """Whether an agreement is live on ``today`` (the version changes the day it ends)."""
    end = raw.get("endDate")
    ended = isinstance(end, str) and end[:10] < today.isoformat()
    return f"{raw.get('agreementStatus')}/{'ended' if ended else 'live'}"


class _Templates(Operations):
    """QBO recurring invoice templates (``/recurringtransaction``) as a sync target, writes one call each.

    Look-ups go through a key index of template names, as the platform adapters' do: the first reads
    every template (``SELECT * FROM RecurringTransaction``, paged), later ones only what changed since
    (``WHERE MetaData.LastUpdatedTime >= ...``, at most every five minutes), and the templates a
    look-up wants by id or by an indexed name are read by ``Id IN (...)``. Templates msplink writes
    are linked, so never name candidates. (Reading every template per look-up cost a run over n
    agreements n²/1,000 template reads.)
    """

    system = QUICKBOOKS
    object = TEMPLATE_OBJECT
    batch_size = 1
    write_concurrency = 10
    """Templates the async engine writes at once (each stands alone; QuickBooks allows 10 concurrent
    requests per realm and app, REFERENCE §11, and the client holds them to it)."""

    def __init__(self, qbo: Any, *, now: Callable[[], datetime]) -> None:
        self.qbo = qbo
        self.now = now
        self.index = KeyIndex()
        self._refreshed_at: datetime | None = None

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The QuickBooks client's own request counter."""
        return {QUICKBOOKS: int(self.qbo.api_calls.total)}

    @staticmethod
    def remote(template: Any) -> RemoteRecord:
        """A template as the engine sees it (version: its ``SyncToken``)."""
        meta = getattr(template, "meta_data", None)
        stamp = getattr(meta, "last_updated_time", None)
        return RemoteRecord(
            id=str(template.id),
            version=template.sync_token,
            updated_at=stamp.astimezone(timezone.utc) if stamp is not None else None,
            data=template,
        )

    def _templates(self, where: Any = None) -> Steps[list[Any]]:
        items = yield Items(lambda: self.qbo.recurring_transactions.list(where=where))
        return [t for t in items if getattr(t, "invoice", None) is not None]

    @staticmethod
    def _name(template: Any) -> str:
        return name_key(getattr(getattr(template.invoice, "recurring_info", None), "name", None)) or ""

    def _refresh(self, found: dict[str, Any], names: set[str], ids: set[str]) -> Steps[None]:
        """Load the name index (or what changed since the last load); the templates read that the
        look-up wants go to ``found``."""
        now = self.now()
        if not index_due(self.index, self._refreshed_at, now):
            return
        since = index_since(self.index)
        where = None if since is None else changed_since(since)
        for template in (yield from self._templates(where)):
            template_id, name = str(template.id), self._name(template)
            self.index.put(template_id, [("name", name)] if name else [], self.remote(template).updated_at)
            if template_id in ids or (name in names and not self.index.written(template_id)):
                found[template_id] = template
        index_read(self.index, now)
        self._refreshed_at = now

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        names, ids = set(request.keys.get("name", ())), set(request.ids)
        found: dict[str, Any] = {}
        yield from self._refresh(found, names, ids)
        for template_id in [*self.index.find("name", names), *request.ids]:
            found.setdefault(template_id, None)
        missing = [i for i, template in found.items() if template is None]
        for chunk in chunks(missing, PAGE_SIZE):
            for template in (yield from self._templates(with_ids(chunk))):
                found[str(template.id)] = template
        out = []
        for template_id, template in found.items():
            if template is None:
                self.index.drop(template_id)  # gone since it was indexed
            elif template_id in ids or self._name(template) in names:  # the index keeps hashes
                out.append(self.remote(template))
        return out

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        # one POST /recurringtransaction per template (Intuit documents no /batch for them), the page's
        # all in one step: concurrently on async clients; each keyed by its own requestid
        out: list[WriteResult | None] = []
        sent: list[tuple[int, WriteOp]] = []
        calls: list[Callable[[], Any]] = []
        for op in ops:
            body: Any = op.payload
            if op.action is Action.UPDATE:
                inner = dict(op.payload.to_api()["Invoice"])
                inner.update({"Id": op.target_id, "SyncToken": op.version, "sparse": False})
                body = {"Invoice": inner}
            elif op.action is not Action.CREATE:
                out.append(
                    WriteResult(
                        key=op.key, error=MappingError("Agreement", "templates are deactivated, not deleted")
                    )
                )
                continue
            sent.append((len(out), op))
            out.append(None)
            calls.append(partial(self.qbo.recurring_transactions.create, body, request_id=op.key))
        answers = (yield Many(tuple(calls))) if calls else ()
        for (slot, op), written in zip(sent, answers, strict=True):
            out[slot] = (
                WriteResult(key=op.key, error=written)
                if isinstance(written, MsplinkError)
                else WriteResult(key=op.key, id=str(written.id), version=written.sync_token)
            )
            if not isinstance(written, MsplinkError):
                self.index.forget(str(written.id))  # msplink's own: linked, never a name candidate
        return [result for result in out if result is not None]

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        templates = yield from self._templates()
        out: list[RemoteRecord | None] = []
        for intent in intents:
            wanted = decode(intent.values.get("name"))
            found = None
            for template in templates:
                info = getattr(template.invoice, "recurring_info", None)
                if isinstance(wanted, str) and name_key(getattr(info, "name", None)) == name_key(wanted):
                    found = self.remote(template)
            out.append(found)
        return out


class _SyncContracts(_Contracts, SyncOperations):
    pass


class _AsyncContracts(_Contracts, AsyncOperations):
    pass


class _SyncTemplates(_Templates, SyncOperations):
    pass


class _AsyncTemplates(_Templates, AsyncOperations):
    pass


class AgreementsToQuickBooks:
    """The recipe: call it to keep QBO recurring invoices in step with CW agreements; :meth:`flows`
    gives its flow."""

    name: Final = NAME
    summary: Final = "ConnectWise recurring agreements -> QuickBooks recurring invoice templates (schedule, lines, deactivation)"
    systems: Final = ("connectwise", "quickbooks")

    def flows(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig | None,
        today: date | None = None,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow]:
        """The flow (one: agreements -> templates).

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            qbo: A ``QuickBooksClient`` (or ``AsyncQuickBooksClient``).
            state: The state store (its identity map links companies to QBO customers).
            config: The ``MappingConfig`` (catalog items, the ``Agreement`` product class, terms, tax codes).
            today: The day billable additions and ended agreements are judged on (default: today, UTC).
            guards: Limits of the flow.
            now: The clock of the adapters (default: the system clock).
        """
        asynchronous = is_async_client(cw, "companies")
        if asynchronous != is_async_client(qbo, "customers"):
            raise TypeError("pass two sync clients or two async clients")
        clock = now or (lambda: datetime.now(timezone.utc))
        day = today or clock().date()
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        agreements = cw_cls(cw, find_mapper(CONNECTWISE, "agreement", Agreement), config=config, now=now)
        return (
            Flow(
                name=AGREEMENT_FLOW,
                source=(_AsyncContracts if asynchronous else _SyncContracts)(
                    cw=cw, agreements=agreements, state=state, today=day
                ),
                target=(_AsyncTemplates if asynchronous else _SyncTemplates)(qbo, now=clock),
                source_mapper=contract_mapper(),
                target_mapper=template_mapper(),
                config=config,
                direction=Direction.ONE_WAY,
                match=(by_link(), by_name()),
                policies=(FieldPolicy("start_date", Owner.TARGET),),
                fields=TEMPLATE_FIELDS,
                guards=guards or Guards(),
            ),
        )

    def __call__(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        today: date | None = None,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Create, update and deactivate QBO recurring invoice templates for CW agreements.

        Reads CW agreements (``GET /finance/agreements``) and their additions
        (``GET /finance/agreements/{id}/additions``); reads and writes QBO templates
        (``POST /query``, ``POST /recurringtransaction``).

        Args:
            cw: A ``ConnectWiseClient``.
            qbo: A ``QuickBooksClient``.
            state: The state store.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            today: See :meth:`flows`.
            guards: See :meth:`flows`.
            retry_dead_letters: Retry the flow's dead letters first.
            now: The clock of the adapters (default: the system clock).

        Returns:
            The report (``report.parts`` holds the flow's).

        Raises:
            GuardError: The plan exceeded the guards (before its first write).
            LeaseError: Another process runs the flow.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if is_async_client(cw, "companies") or is_async_client(qbo, "customers"):
            raise TypeError(f"async clients: run {NAME}.flows(...) with arun")
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in self.flows(
                cw=cw, qbo=qbo, state=state, config=config, today=today, guards=guards, now=now
            )
        ]
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


def read_agreements(cw: Any, config: MappingConfig | None = None) -> list[Agreement]:
    """Every CW agreement with its additions, as canonical :class:`~msplink.models.Agreement` records
    (``GET /finance/agreements``, then ``GET /finance/agreements/{id}/additions`` per agreement; sync
    client). The input of :func:`msplink.sync.reports.mrr`."""
    row = find_mapper(CONNECTWISE, "agreement", Agreement)
    out = []
    for wire in cw.agreements.list():
        additions = cw.agreements.additions(int(wire.id)).list().to_list()
        out.append(cast(Any, row.to_canonical)(wire, config, additions=additions))
    return out


agreements_to_quickbooks: Final = AgreementsToQuickBooks()
"""CW agreements -> QBO recurring invoice templates: ``agreements_to_quickbooks(cw=..., qbo=..., state=...,
config=...)``; ``agreements_to_quickbooks.flows(...)`` for ``arun``."""
