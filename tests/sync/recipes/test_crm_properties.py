"""Hypothesis properties of the CRM recipes' pure parts: the invoice record mapper both ways, the ticket
scope, picklist normalisation into the Case vocabulary, agreement term ids, onboarding templates, the
planned-links view of a dry run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import MappingError
from msplink.mappers import MappingConfig, find_mapper
from msplink.models import (
    CONNECTWISE,
    SALESFORCE,
    Address,
    ExternalRef,
    Invoice,
    InvoiceStatus,
    Link,
    Money,
    Opportunity,
    Ticket,
)
from msplink.sync import Action, MemoryStateStore, Outcome, SyncReport
from msplink.sync.recipes._cases import DEFAULT_ORIGINS, TicketScope, _in_case_terms
from msplink.sync.recipes._closed_won import _fill, template_values
from msplink.sync.recipes._crm import _ADDRESS_FIELDS, _address
from msplink.sync.recipes._cw_to_sf import PlannedLinks
from msplink.sync.recipes._renewals import _agreement_ids, _date, term_id
from msplink.sync.recipes._sf_invoices import invoice_record_to_invoice

CONFIG = MappingConfig.from_dict(
    {
        "case_statuses": {
            "map": {"New": "New", "Working": "In Progress", "Escalated": "Escalated", "Closed": "Closed"},
            "reverse": {"Waiting on Client": "Working"},
        },
        "case_priorities": {
            "map": {"High": "Priority 2 - High", "Medium": "Priority 3 - Medium", "Low": "Priority 4 - Low"},
            "reverse": {"Priority 1 - Emergency": "High"},
        },
    }
)
CW_STATUSES = ("New", "In Progress", "Waiting on Client", "Escalated", "Closed")
CW_PRIORITIES = ("Priority 1 - Emergency", "Priority 2 - High", "Priority 3 - Medium", "Priority 4 - Low")

money = st.decimals(min_value=Decimal("-99999"), max_value=Decimal("999999"), places=2, allow_nan=False)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
sf_ids = st.text(alphabet="0123456789ABCDEFGHJKabcdef", min_size=15, max_size=15).map(lambda s: "001" + s)


@settings(max_examples=60, deadline=None)
@given(
    number=st.text(min_size=1, max_size=20).filter(str.strip),
    total=money,
    balance=money,
    issued=days,
    due=days,
    status=st.sampled_from(list(InvoiceStatus)),
    account=sf_ids,
    cw_id=st.integers(min_value=1, max_value=10**9),
)
def test_an_invoice_record_maps_back_to_the_invoice_it_was_written_from(
    number: str,
    total: Decimal,
    balance: Decimal,
    issued: dt.date,
    due: dt.date,
    status: InvoiceStatus,
    account: str,
    cw_id: int,
) -> None:
    invoice = Invoice(
        refs={ExternalRef(CONNECTWISE, "invoice", str(cw_id))},
        customer=Link.to(SALESFORCE, "Account", account),
        currency="USD",
        number=number,
        status=status,
        issue_date=issued,
        due_date=due,
        total=Money(total, "USD"),
        balance=Money(balance, "USD"),
    )
    row = find_mapper(SALESFORCE, "Invoice__c", Invoice)
    assert row.from_canonical is not None
    wire = row.from_canonical(invoice, MappingConfig())
    back = invoice_record_to_invoice({**wire, "Id": "a01SB0000000001AAA"}, MappingConfig())
    fields = ("number", "customer", "currency", "status", "issue_date", "due_date", "total", "balance")
    assert {f: getattr(back, f) for f in fields} == {f: getattr(invoice, f) for f in fields}
    assert back.id_for(CONNECTWISE, "invoice") == str(cw_id)


@given(
    st.dictionaries(st.sampled_from(["Name", "Status__c", "Amount__c", "Due_Date__c"]), st.text(max_size=8))
)
def test_an_invoice_record_without_account_or_with_bad_values_is_a_mapping_error(
    record: dict[str, Any],
) -> None:
    with pytest.raises(MappingError):
        invoice_record_to_invoice(record, None)


tickets = st.builds(
    Ticket,
    summary=st.just("t"),
    status=st.sampled_from(CW_STATUSES),
    priority=st.sampled_from(CW_PRIORITIES),
    closed=st.booleans(),
    escalated=st.booleans(),
    board=st.sampled_from(["Help Desk", "Projects", "help desk"]),
    source=st.sampled_from([None, "Phone", "Portal", "Email Connector", "Walk-in"]),
)


@given(tickets, st.sets(st.sampled_from(CW_PRIORITIES)), st.sets(st.sampled_from(CW_STATUSES)), st.booleans())
def test_the_ticket_scope_never_takes_a_closed_ticket_and_grows_with_its_sets(
    ticket: Ticket, priorities: set[str], statuses: set[str], escalated: bool
) -> None:
    narrow = TicketScope(priorities=priorities, statuses=statuses, escalated=escalated)
    wide = TicketScope(priorities={*priorities, *CW_PRIORITIES}, statuses=statuses, escalated=escalated)
    if ticket.closed:
        assert not narrow(ticket) and not wide(ticket)
    assert not narrow(ticket) or wide(ticket)
    assert TicketScope(boards=["HELP DESK"])(ticket) == (TicketScope()(ticket) and ticket.board != "Projects")


@given(tickets)
def test_case_terms_are_a_fixed_point(ticket: Ticket) -> None:
    once = _in_case_terms(ticket, CONFIG, DEFAULT_ORIGINS)
    assert once.status in {"New", "In Progress", "Escalated", "Closed"}
    assert once.priority in {"Priority 2 - High", "Priority 3 - Medium", "Priority 4 - Low"}
    # the case reads back as ``once``; mapping it again (its origin already a Case value) changes nothing
    assert _in_case_terms(once, CONFIG, {v: v for v in DEFAULT_ORIGINS.values()}) == once


@given(st.integers(min_value=1, max_value=10**9), st.one_of(st.none(), days))
def test_term_ids_name_their_agreement_and_end(agreement_id: int, end: dt.date | None) -> None:
    term = term_id(str(agreement_id), end)
    assert _agreement_ids([term, term]) == [str(agreement_id)]
    agreement, _, text = term.partition("@")
    assert agreement == str(agreement_id) and _date(text) == end


@given(st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=40))
def test_a_template_without_fields_is_kept_and_unknown_fields_are_mapping_errors(text: str) -> None:
    values = template_values(Opportunity(name="Deal"), "006X")
    assert _fill(text, values, "Ticket.summary") == text
    with pytest.raises(MappingError, match=r"Ticket\.summary"):
        _fill(text + "{nope}", values, "Ticket.summary")


def test_planned_links_add_the_dry_run_links_to_the_identity_reads() -> None:
    store = MemoryStateStore()
    company = ExternalRef(CONNECTWISE, "company", "5")
    account = ExternalRef(SALESFORCE, "Account", "001A")
    now = dt.datetime(2026, 3, 3, tzinfo=dt.timezone.utc)
    report = SyncReport(
        flow="links",
        started_at=now,
        ended_at=now,
        outcomes=(Outcome(source=company, action=Action.LINK, status="planned", target=account),),
    )
    view = PlannedLinks(store, [report])
    [(entity, _)] = view.identities([company]).values()
    assert view.linked([entity], SALESFORCE, "Account") == {entity: account}
    assert view.links(company) == (company, account)
    assert view.pairs((CONNECTWISE, "company"), (SALESFORCE, "Account")) == [("5", "001A")]
    assert store.links(company) == () and view.watermark("links") is None  # the store itself is untouched


address_texts = st.one_of(st.none(), st.sampled_from(["", " ", "\t\n"]), st.text(max_size=12))


@settings(max_examples=200, deadline=None)
@given(parts=st.fixed_dictionaries({name: address_texts for name in _ADDRESS_FIELDS}))
def test_a_cleaned_address_is_its_trimmed_parts_or_none(parts: dict[str, str | None]) -> None:
    """``comparable`` cleans an address as "trim every part, blank is none, nothing left is no address",
    and hands back the address itself when cleaning changes nothing."""
    address = Address(**parts)
    trimmed = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in parts.items()}
    cleaned = _address(address)
    if not any(trimmed.values()):
        assert cleaned is None
    else:
        assert cleaned == Address(**trimmed)
        if trimmed == parts:
            assert cleaned is address
