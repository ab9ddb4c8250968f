"""``python -m msplink demo``: msplink end to end against the three in-process sandboxes.

The story an MSP lives every month, with no accounts:

1. seed a ConnectWise Manage sandbox with companies, agreements and invoices;
2. ConnectWise companies -> QuickBooks customers, looked up by external id before created, new ones
   through ``/batch`` (each created customer's QuickBooks id becomes a ref of its canonical record);
3. ConnectWise companies -> Salesforce accounts, upserted by the ConnectWise id (an external id);
4. ConnectWise agreements -> monthly recurring revenue per customer;
5. run steps 2-3 again: nothing is created twice (QuickBooks: every customer's QuickBooks ref is found
   among the customers read; Salesforce upserts by external id).

Records are mapped through the mapper tables (:func:`msplink.mappers.find_mapper`) and matched by
their provenance refs (external ids), never by display name. Every number printed (records, API
calls) is read from the sandboxes' request logs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

import attrs

from msplink.connectwise import ConnectWiseClient
from msplink.errors import MappingError
from msplink.mappers import MappingConfig, find_mapper, map_each, propose_mappings
from msplink.mappers import connectwise as cw_map
from msplink.mappers import salesforce as sf_map
from msplink.models import CONNECTWISE, QUICKBOOKS, SALESFORCE, Customer, ExternalRef
from msplink.quickbooks import BatchOperation, QuickBooksClient
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox

__all__ = ["DemoReport", "run_demo"]


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


@attrs.frozen(kw_only=True)
class DemoReport:
    """What the demo did, for printing and for tests."""

    companies: int
    qbo_created_first_run: int
    qbo_created_second_run: int
    sf_created_first_run: int
    sf_created_second_run: int
    sf_updated_second_run: int
    mapping_failures: int
    mrr_total: Decimal
    calls: dict[str, int]


def _mapping_config(
    cw: ConnectWiseClient, qbo: QuickBooksClient, say: Callable[[str], object]
) -> MappingConfig:
    """Tax codes (as a user's TOML would give them), plus billing terms matched by name, then by due days.

    Auto-matching by name is always safe; the due-days rule stands for the review a person would do
    before saving the config (printed so it can be checked).
    """
    # A US company file: QuickBooks knows only TAX and NON on customers and lines.
    config = MappingConfig.from_dict({"tax_codes": {"TAX": "TAX", "NONTAX": "NON"}})
    cw_terms = cw.billing_terms.list().to_list()
    qbo_terms = qbo.terms.list().to_list()
    proposal = propose_mappings(
        [t.name for t in cw_terms if t.name], {t.id: t.name for t in qbo_terms if t.id and t.name}
    )
    by_days = {t.due_days: t for t in qbo_terms if t.id and t.due_days is not None}
    reviewed: dict[str, str] = {}
    for term in cw_terms:
        days = term.due_days
        if term.name and term.name in proposal.unmatched and days in by_days:
            target = by_days[days]
            reviewed[term.name] = str(target.id)
            say(
                f"   review: ConnectWise terms {term.name!r} -> QuickBooks {target.name!r} (both {days} days)"
            )
    say(f"   mapping: {len(proposal.matched)} billing terms matched by name, {len(reviewed)} by due days")
    return config.with_entries("terms", {**proposal.matched, **reviewed})


def _sync_customers_to_quickbooks(
    qbo: QuickBooksClient, customers: list[Customer], config: MappingConfig, failures: list[MappingError]
) -> int:
    """Create the customers QuickBooks lacks; return how many were created.

    A customer is matched by its QuickBooks ref (the external id recorded when msplink created it),
    looked up among the customers QuickBooks answers in one query. Created customers get their new
    QuickBooks ref in ``customers`` (in place), so the next run finds them.
    """
    existing = {c.id for c in qbo.customers.list() if c.id}
    indexes = [i for i, c in enumerate(customers) if c.id_for(QUICKBOOKS, "Customer") not in existing]
    mapper = find_mapper(QUICKBOOKS, "Customer", Customer)
    mapped = map_each(mapper.outbound, [customers[i] for i in indexes], config)
    failures.extend(f.error for f in mapped.failures)
    unmapped = {indexes[f.index] for f in mapped.failures}
    targets = [i for i in indexes if i not in unmapped]
    operations = [BatchOperation.create(entity) for entity in mapped.mapped]
    if not operations:
        return 0
    results = qbo.batch(operations)
    failed = [r for r in results if r.error is not None]
    if failed:
        raise failed[0].error  # type: ignore[misc]
    for index, result in zip(targets, results, strict=True):
        new_id = getattr(result.entity, "id", None)
        if new_id:
            customers[index] = customers[index].with_ref(ExternalRef(QUICKBOOKS, "Customer", new_id))
    return len(results)


def _to_canonical(companies: Iterable[object], failures: list[MappingError]) -> list[Customer]:
    batch = map_each(find_mapper(CONNECTWISE, "company", Customer).inbound, companies)
    failures.extend(f.error for f in batch.failures)
    return list(batch.mapped)


def run_demo(*, size: int = 40, seed: int = 7, say: Callable[[str], object] = print) -> DemoReport:
    """Run the demo and print what happens.

    Args:
        size: Records per type seeded into the ConnectWise sandbox.
        seed: Seed of the generated data.
        say: Where lines go (``print`` by default).
    """
    cw_box = ConnectWiseSandbox()
    cw_box.seed(size=size, seed=seed)
    qbo_box = QuickBooksSandbox()
    sf_box = SalesforceSandbox()
    qbo_creds, sf_creds = qbo_box.credentials(), sf_box.credentials()

    cw = ConnectWiseClient(**cw_box.credentials(), transport=cw_box.transport(), app_name="msplink-demo")
    qbo = QuickBooksClient(
        realm_id=qbo_creds["realm_id"], auth=qbo_creds["access_token"], transport=qbo_box.transport()
    )
    sf = SalesforceClient(
        auth=ClientCredentialsAuth(client_id=sf_creds["client_id"], client_secret=sf_creds["client_secret"]),
        transport=sf_box.transport(),
    )
    failures: list[MappingError] = []
    with cw, qbo, sf:
        say(f"msplink demo: three sandboxes, no accounts (ConnectWise seeded with size={size}, seed={seed})")

        companies = cw.companies.list().to_list()
        customers = _to_canonical(companies, failures)
        say(f"1. ConnectWise: {len(companies)} companies read in {_n(cw_box.count('GET'), 'API call')}")

        config = _mapping_config(cw, qbo, say)
        created_qbo = _sync_customers_to_quickbooks(qbo, customers, config, failures)
        say(
            f"2. QuickBooks: {_n(created_qbo, 'customer')} created in {_n(qbo_box.count('POST', r'/batch$'), 'batch call')} "
            f"(after {qbo_box.count('POST', r'/query$')} look-up queries: terms, existing customers)"
        )

        to_account = find_mapper(SALESFORCE, "Account", Customer)
        accounts = [to_account.outbound(c) for c in customers]
        first = sf.accounts.upsert_many(sf_map.CW_COMPANY_ID_FIELD, accounts)
        created_sf = sum(1 for r in first if r.created)
        say(
            f"3. Salesforce: {_n(created_sf, 'account')} upserted by {sf_map.CW_COMPANY_ID_FIELD} in "
            f"{_n(sf_box.count('PATCH', r'/composite/sobjects/'), 'collection call')}"
        )

        mrr: dict[str, Decimal] = {}  # per ConnectWise company id (the agreement's customer ref)
        names: dict[str, str] = {}
        for agreement in cw.agreements.list():
            additions = cw.agreements.additions(agreement.id).list().to_list() if agreement.id else []
            try:
                canonical = cw_map.agreement_to_agreement(agreement, additions=additions)
            except MappingError as exc:
                failures.append(exc)
                continue
            company = canonical.customer.id_for(CONNECTWISE, "company") or "?"
            names.setdefault(company, canonical.customer.display or company)
            mrr[company] = mrr.get(company, Decimal("0")) + canonical.mrr().amount
        total = sum(mrr.values(), Decimal("0"))
        say(f"4. Monthly recurring revenue: {total:,.2f} across {len(mrr)} customers; top 3:")
        for company, amount in sorted(mrr.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
            say(f"     {names[company]:<40} {amount:>12,.2f}")

        before = {"quickbooks": len(qbo_box.requests), "salesforce": len(sf_box.requests)}
        again_qbo = _sync_customers_to_quickbooks(qbo, customers, config, failures)
        second = sf.accounts.upsert_many(sf_map.CW_COMPANY_ID_FIELD, accounts)
        again_sf = sum(1 for r in second if r.created)
        say(
            f"5. Second run: QuickBooks {again_qbo} created ({_n(len(qbo_box.requests) - before['quickbooks'], 'read call')}), "
            f"Salesforce {again_sf} created, {len(second) - again_sf} matched by external id"
        )

    calls = {"connectwise": len(cw_box.requests), "quickbooks": len(qbo_box.requests)}
    calls["salesforce"] = len(sf_box.requests)
    if failures:
        say(f"   {len(failures)} records could not be mapped (kept for review), first: {failures[0]}")
    say("API calls served: " + ", ".join(f"{k} {v}" for k, v in calls.items()))
    return DemoReport(
        companies=len(companies),
        qbo_created_first_run=created_qbo,
        qbo_created_second_run=again_qbo,
        sf_created_first_run=created_sf,
        sf_created_second_run=again_sf,
        sf_updated_second_run=len(second) - again_sf,
        mapping_failures=len(failures),
        mrr_total=total,
        calls=calls,
    )
