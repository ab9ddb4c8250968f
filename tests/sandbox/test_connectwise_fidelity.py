"""The ConnectWise sandbox answers as ConnectWise does (issue 12): paging links, forward-only detection,
the child collections the recipes need, time entries charged to tickets, ``date-time`` formats.

Each test names the real behaviour it pins: REFERENCE.md (``shared/apis/connectwise``), ConnectWise's
OpenAPI document (as the ai-connor/connectwise OpenAPI Generator output shows it) or a public report of
a real answer.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import ConnectWiseClient
from msplink.sandbox._worldstore import dump_store, dumps, loads, restore_store
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.connectwise._collections import COLLECTIONS
from msplink.sandbox.connectwise._writes import datetime_error
from msplink.testing import FakeClock

HOST = "api-na.myconnectwise.net"
BASE = f"https://{HOST}/v2025_1/apis/3.0"
TIMES = next(c for c in COLLECTIONS if c.name == "timeEntries")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> ConnectWiseSandbox:
    return ConnectWiseSandbox(clock=clock, now=clock.now, sleep=clock.sleep, async_sleep=clock.async_sleep)


@pytest.fixture
def api(sandbox: ConnectWiseSandbox) -> Iterator[httpx.Client]:
    creds = sandbox.credentials()
    token = base64.b64encode(
        f"{creds['company_id']}+{creds['public_key']}:{creds['private_key']}".encode()
    ).decode()
    headers = {"Authorization": f"Basic {token}", "clientId": creds["client_id"]}
    with httpx.Client(transport=sandbox.transport(), headers=headers) as client:
        yield client


def _companies(sandbox: ConnectWiseSandbox, n: int) -> None:
    for i in range(n):
        sandbox.insert("companies", {"identifier": f"P{i}", "name": f"Paged {i}"})


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "InvalidObject"
    errors: list[dict[str, Any]] = body["errors"]
    return errors


# ------------------------------------------------------------------------------------------ paging


def test_navigable_links_keep_the_request_and_end_with_the_page(
    api: httpx.Client, sandbox: ConnectWiseSandbox
) -> None:
    """``...?pageSize=50&page=2``: the request's parameters in their order, ``page=N`` last (REFERENCE.md
    §4.1 example); clients read the page number from that position."""
    _companies(sandbox, 7)
    first = api.get(f'{BASE}/company/companies?conditions=name like "Paged%"&pageSize=3&orderBy=id desc')
    assert first.links["next"]["url"] == (
        f"{BASE}/company/companies?conditions=name%20like%20%22Paged%25%22&pageSize=3&orderBy=id%20desc&page=2"
    )
    assert first.links["last"]["url"].endswith("&orderBy=id%20desc&page=3")
    middle = api.get(f"{BASE}/company/companies?page=2&pageSize=3")
    assert {rel: link["url"] for rel, link in middle.links.items()} == {
        "first": f"{BASE}/company/companies?pageSize=3&page=1",
        "prev": f"{BASE}/company/companies?pageSize=3&page=1",
        "next": f"{BASE}/company/companies?pageSize=3&page=3",
        "last": f"{BASE}/company/companies?pageSize=3&page=3",
    }
    assert [c["id"] for c in api.get(middle.links["next"]["url"]).json()] == [7]


def test_forward_only_answers_always_carry_a_link(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    """The ``Link`` header names the next ``pageId`` and is present, empty, on the last page
    (REFERENCE.md §4.2; ``Invoke-CWMAllResult`` of the ConnectWiseManageAPI module reads a first answer
    without ``Link`` as "endpoint doesn't support forward-only")."""
    _companies(sandbox, 5)
    headers = {"pagination-type": "forward-only"}
    page = api.get(
        f"{BASE}/company/companies", params={"conditions": "id > 0", "pageSize": 2}, headers=headers
    )
    seen, links = [c["id"] for c in page.json()], [page.headers["link"]]
    while page.links:
        url = page.links["next"]["url"]
        assert dict(parse_qsl(urlsplit(url).query)) == {
            "conditions": "id > 0",
            "pageSize": "2",
            "pageId": str(seen[-1]),
        }
        assert url.endswith(f"pageId={seen[-1]}")
        page = api.get(url, headers=headers)
        seen += [c["id"] for c in page.json()]
        links.append(page.headers["link"])
    assert seen == [1, 2, 3, 4, 5] and links[-1] == "" and all(links[:-1])
    one = api.get(f"{BASE}/company/companies", params={"pageSize": 1000}, headers=headers)
    assert one.headers["link"] == "" and len(one.json()) == 5


def test_forward_only_child_pages_follow_their_parent_through_moves_deletes_and_loads(
    api: httpx.Client, sandbox: ConnectWiseSandbox, clock: FakeClock
) -> None:
    """A child collection's forward-only walk lists exactly its parent's records, in id order, after
    records move, are deleted (alone or with their parent) and after a saved world is loaded."""
    headers = {"pagination-type": "forward-only"}

    def walk(agreement: int, conditions: str = "") -> list[int]:
        url = f"{BASE}/finance/agreements/{agreement}/additions?pageSize=1"
        url += f"&conditions={conditions}" if conditions else ""
        seen: list[int] = []
        while url:
            page = api.get(url, headers=headers)
            assert page.status_code == 200, page.text
            seen += [a["id"] for a in page.json()]
            url = page.links.get("next", {}).get("url", "")
        return seen

    one, two = (sandbox.insert("agreements", {"name": n})["id"] for n in ("One", "Two"))
    ids = [sandbox.insert("additions", {"quantity": 1}, parent=p)["id"] for p in (one, two, one, two)]
    assert (walk(one), walk(two)) == ([ids[0], ids[2]], [ids[1], ids[3]])
    named = f"id in ({ids[3]}, {ids[2]}, {ids[1]}, 999)"  # only the parent's own, in id order
    assert (walk(one, named), walk(two, named)) == ([ids[2]], [ids[1], ids[3]])
    sandbox.insert("additions", {"id": ids[0], "quantity": 2}, parent=two)  # the same id, another parent
    assert (walk(one), walk(two)) == ([ids[2]], [ids[0], ids[1], ids[3]])
    assert api.delete(f"{BASE}/finance/agreements/{two}/additions/{ids[1]}").status_code == 204
    assert walk(two) == [ids[0], ids[3]]
    saved = loads(dumps(dump_store(sandbox.store)))  # a saved world: a copy, not the live tables
    assert api.delete(f"{BASE}/finance/agreements/{two}").status_code == 204
    assert walk(one) == [ids[2]] and set(sandbox.data["additions"]) == {ids[2]}
    restore_store(sandbox.store, saved)
    assert (walk(one), walk(two)) == ([ids[2]], [ids[0], ids[3]])


def test_unique_identifiers_hold_through_renames_deletes_and_loads(
    api: httpx.Client, sandbox: ConnectWiseSandbox
) -> None:
    """``identifier`` is unique among companies, any case (400 ``ObjectExists``), through creates,
    renames (PUT and PATCH), deletes and a loaded world."""
    url = f"{BASE}/company/companies"

    def create(identifier: str) -> httpx.Response:
        return api.post(url, json={"identifier": identifier, "name": identifier.title()})

    def refused(answer: httpx.Response) -> bool:
        return answer.status_code == 400 and answer.json()["errors"][0]["code"] == "ObjectExists"

    first = create("Contoso").json()
    second = create("Fabrikam").json()
    assert refused(create("CONTOSO"))
    rename = [{"op": "replace", "path": "identifier", "value": "ContosoLtd"}]
    assert api.patch(f"{url}/{first['id']}", json=rename).status_code == 200
    assert refused(create("contosoltd")) and create("Contoso").status_code == 201
    whole = {"identifier": "Northwind", "name": "Fabrikam"}
    assert api.put(f"{url}/{second['id']}", json=whole).status_code == 200
    assert create("Fabrikam").status_code == 201 and refused(create("NORTHWIND"))
    assert api.put(f"{url}/{second['id']}", json=whole).status_code == 200  # its own value is no clash
    saved = loads(dumps(dump_store(sandbox.store)))
    assert api.delete(f"{url}/{second['id']}").status_code == 204
    assert create("Northwind").status_code == 201
    restore_store(sandbox.store, saved)
    assert refused(create("northwind")) and refused(create("CONTOSOLTD"))


@pytest.mark.parametrize("links", [True, False])
def test_an_endpoint_without_forward_only_ignores_the_header(
    api: httpx.Client, sandbox: ConnectWiseSandbox, links: bool
) -> None:
    """REFERENCE.md §4.2: forward-only is not supported everywhere (Audit Trail); such an endpoint
    answers navigable pages, and the client falls back to ``page=N`` with an exact request count."""
    _companies(sandbox, 7)
    sandbox.disable_forward_only("companies", links=links)
    answer = api.get(
        f"{BASE}/company/companies", params={"pageSize": 3}, headers={"pagination-type": "forward-only"}
    )
    assert [c["id"] for c in answer.json()] == [1, 2, 3]
    if links:
        assert set(answer.links) == {"first", "next", "last"}
    else:
        assert "link" not in answer.headers
    client = ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())
    sandbox.clear_log()
    ids = [c.id for c in client.companies.list(page_size=3)]
    assert ids == [1, 2, 3, 4, 5, 6, 7]
    assert [r.query for r in sandbox.requests if r.path.endswith("/company/companies")] == [
        "pageSize=3",
        "pageSize=3&page=2",
        "pageSize=3&page=3",
    ]
    with pytest.raises(KeyError):
        sandbox.disable_forward_only("nonsense")


# ------------------------------------------------------------------------------- child collections


def _seeded(api: httpx.Client, sandbox: ConnectWiseSandbox) -> dict[str, Any]:
    sandbox.seed(size=2, seed=4)
    return api.get(f"{BASE}/service/tickets/1").json()  # type: ignore[no-any-return]


def test_ticket_notes(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    """``/service/tickets/{id}/notes`` GET, POST, ``/{noteId}``, ``/count`` (REFERENCE.md §10.10); a note
    must say where it shows (LabtechConsulting/ConnectWise-Manage-Powershell#12: "serviceNote object is
    invalid" / "Please choose where to display the notes in order to save this record.")."""
    _seeded(api, sandbox)
    notes = f"{BASE}/service/tickets/1/notes"
    refused = api.post(notes, json={"text": "no flag"})
    assert refused.json()["message"] == "serviceNote object is invalid"
    assert (
        _errors(refused)[0]["message"]
        == "Please choose where to display the notes in order to save this record."
    )
    created = api.post(notes, json={"text": "Rebooted the printer", "internalAnalysisFlag": True})
    assert created.status_code == 201
    note = created.json()
    assert note["ticketId"] == 1 and note["createdBy"] == "api_sync"
    assert note["member"]["identifier"] == "api_sync" and note["dateCreated"].endswith("Z")
    assert api.get(f"{notes}/count").json() == {"count": 1}
    assert api.get(f"{notes}/{note['id']}").json()["text"] == "Rebooted the printer"
    assert api.get(f"{BASE}/service/tickets/2/notes/{note['id']}").status_code == 404
    patched = api.patch(f"{notes}/{note['id']}", json=[{"op": "replace", "path": "text", "value": "Done"}])
    assert patched.json()["text"] == "Done"
    assert api.get(f"{BASE}/service/tickets/999/notes").status_code == 404
    ticket = api.post(
        f"{BASE}/service/tickets",
        json={
            "summary": "New",
            "company": {"id": 1},
            "initialDescription": "It broke",
            "initialResolution": "Fixed",
        },
    ).json()
    assert "initialDescription" not in ticket  # POST-only, the notes hold it (REFERENCE.md §10.10)
    first = api.get(f"{BASE}/service/tickets/{ticket['id']}/notes", params={"orderBy": "id"}).json()
    assert [(n["text"], n.get("detailDescriptionFlag"), n.get("resolutionFlag")) for n in first] == [
        ("It broke", True, None),
        ("Fixed", None, True),
    ]
    assert api.delete(f"{notes}/{note['id']}").status_code == 204


def test_ticket_time_entries_are_references(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    """``GET /service/tickets/{id}/timeentries`` lists ``TimeEntryReference`` items (``id`` and
    ``_info.timeEntry_href``) of the entries charged to the ticket, paged, with ``/count``."""
    _seeded(api, sandbox)
    expected = sorted(
        e["id"]
        for e in sandbox.records("timeEntries")
        if e["chargeToType"] == "ServiceTicket" and e["chargeToId"] == 1
    )
    assert len(expected) == 2
    refs = api.get(f"{BASE}/service/tickets/1/timeentries").json()
    assert refs == [
        {"id": i, "_info": {"timeEntry_href": f"https://{HOST}/v2025_1/apis/3.0/time/entries/{i}"}}
        for i in expected
    ]
    assert api.get(f"{BASE}/service/tickets/1/timeentries/count").json() == {"count": 2}
    paged = api.get(f"{BASE}/service/tickets/1/timeentries", params={"pageSize": 1})
    assert paged.links["next"]["url"].endswith("pageSize=1&page=2")
    assert api.post(f"{BASE}/service/tickets/1/timeentries", json={}).status_code == 405
    assert api.get(f"{BASE}/service/tickets/404/timeentries").status_code == 404


def test_every_child_collection_the_recipes_need_is_served(
    api: httpx.Client, sandbox: ConnectWiseSandbox
) -> None:
    """The real paths (REFERENCE.md §10 and the OpenAPI document): additions, payments, PO line items,
    contact communications, ticket notes, ticket time entries, project tickets, project phases."""
    _seeded(api, sandbox)
    agreement = sandbox.records("agreements")[0]["id"]
    invoice = sandbox.records("invoices")[0]["id"]
    po = sandbox.records("purchaseOrders")[0]["id"]
    contact = sandbox.records("contacts")[0]["id"]
    project = sandbox.records("projects")[0]["id"]
    for path, count in (
        (f"/finance/agreements/{agreement}/additions", 2),
        (f"/finance/invoices/{invoice}/payments", 0),
        (f"/procurement/purchaseorders/{po}/lineitems", 2),
        (f"/company/contacts/{contact}/communications", 2),
        ("/service/tickets/1/notes", 0),
        ("/service/tickets/1/timeentries", 2),
        ("/project/tickets", 0),
        (f"/project/projects/{project}/phases", 0),
    ):
        listed = api.get(BASE + path, params={"pageSize": 1000})
        assert listed.status_code == 200, path
        assert len(listed.json()) == count, path
        assert api.get(BASE + path + "/count").json() == {"count": count}, path


def test_project_tickets_and_their_time(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    """A project ticket sits in a phase (``summary`` and ``phase`` required, the OpenAPI
    ``ProjectTicket``); time charged to it takes its ticket, project, phase and company."""
    _seeded(api, sandbox)
    project = sandbox.records("projects")[0]
    phase = api.post(
        f"{BASE}/project/projects/{project['id']}/phases", json={"description": "Rollout"}
    ).json()
    assert phase["projectId"] == project["id"]
    missing = _errors(api.post(f"{BASE}/project/tickets", json={"summary": "No phase"}))
    assert missing == [
        {
            "code": "MissingRequiredField",
            "message": "The phase field is required.",
            "resource": "ticket",
            "field": "phase",
        }
    ]
    ticket = api.post(
        f"{BASE}/project/tickets", json={"summary": "Image laptops", "phase": {"id": phase["id"]}}
    ).json()
    assert ticket["recordType"] == "ProjectTicket" and ticket["project"]["id"] == project["id"]
    assert ticket["company"] == project["company"] and ticket["phase"] == {
        "id": phase["id"],
        "name": "Rollout",
    }
    assert ticket["id"] not in {t["id"] for t in sandbox.records("tickets")}  # one ticket id space
    entry = api.post(
        f"{BASE}/time/entries",
        json={
            "chargeToType": "ProjectTicket",
            "chargeToId": ticket["id"],
            "timeStart": "2024-02-15T09:00:00Z",
            "timeEnd": "2024-02-15T11:15:00Z",
        },
    ).json()
    assert entry["ticket"]["id"] == ticket["id"] and entry["project"]["id"] == project["id"]
    assert entry["phase"]["id"] == phase["id"] and entry["company"] == project["company"]
    assert entry["actualHours"] == 2.25
    refs = api.get(f"{BASE}/project/tickets/{ticket['id']}/timeentries").json()
    assert [r["id"] for r in refs] == [entry["id"]]
    assert api.get(f"{BASE}/service/tickets/{ticket['id']}/timeentries").status_code == 404


# ---------------------------------------------------------------------------------- time entries


def test_a_time_entry_charged_to_a_ticket_takes_the_tickets_references(
    api: httpx.Client, sandbox: ConnectWiseSandbox
) -> None:
    """``chargeToType=ServiceTicket`` + ``chargeToId`` comes back with ``ticket`` and ``company`` inferred
    from the ticket (issue 12; REFERENCE.md §10.9 example body), the entering member, and hours."""
    ticket = _seeded(api, sandbox)
    body = {
        "chargeToType": "ServiceTicket",
        "chargeToId": 1,
        "timeStart": "2024-02-15T09:00:00Z",
        "timeEnd": "2024-02-15T10:30:00Z",
        "billableOption": "Billable",
        "notes": "Patched server",
    }
    created = api.post(f"{BASE}/time/entries", json=body)
    assert created.status_code == 201
    entry = created.json()
    assert entry["ticket"] == {
        "id": 1,
        "summary": ticket["summary"],
        "_info": {"ticket_href": f"https://{HOST}/v2025_1/apis/3.0/service/tickets/1"},
    }
    assert entry["company"] == ticket["company"] and entry["ticketBoard"] == ticket["board"]["name"]
    assert entry["member"]["identifier"] == "api_sync" and entry["actualHours"] == 1.5
    assert [r["id"] for r in api.get(f"{BASE}/service/tickets/1/timeentries").json()][-1] == entry["id"]
    unknown = _errors(api.post(f"{BASE}/time/entries", json={**body, "chargeToId": 9999}))
    assert unknown == [
        {
            "code": "NotFound",
            "message": "Service Ticket 9999 not found",
            "resource": "timeEntry",
            "field": "chargeToId",
        }
    ]
    nowhere = _errors(api.post(f"{BASE}/time/entries", json={"timeStart": "2024-02-15T09:00:00Z"}))
    assert [e["field"] for e in nowhere] == ["company"]
    company = api.post(
        f"{BASE}/time/entries", json={"timeStart": "2024-02-15T09:00:00Z", "company": {"id": 2}}
    )
    assert company.json()["chargeToType"] == "Company"


# ------------------------------------------------------------------------------------ date-times


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-15T09:00:00",
        "2024-02-15T09:00:00+02:00",
        "2024-02-15",
        "2024-02-15T09:00:00.000Z",
        "2024-02-30T09:00:00Z",
        1707987600,
    ],
)
def test_datetimes_outside_cws_format_are_unsupported(
    api: httpx.Client, sandbox: ConnectWiseSandbox, value: Any
) -> None:
    """``timeStart`` without a zone is 400 ``UnsupportedFormat`` (issue 12; REFERENCE.md §7: send
    ``yyyy-MM-ddTHH:mm:ssZ``; sgtoj/PSConnectWise#40 quotes "Unsupported format applied to startDate")."""
    sandbox.seed(size=1)
    answer = api.post(f"{BASE}/time/entries", json={"timeStart": value, "company": {"id": 1}})
    assert _errors(answer) == [
        {
            "code": "UnsupportedFormat",
            "message": "Unsupported format applied to timeStart",
            "resource": "timeEntry",
            "field": "timeStart",
        }
    ]
    agreement = {
        "name": "A",
        "type": {"id": 1},
        "company": {"id": 1},
        "contact": {"id": 1},
        "startDate": value,
    }
    assert _errors(api.post(f"{BASE}/finance/agreements", json=agreement))[0]["field"] == "startDate"


def test_patch_checks_the_datetimes_it_writes(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=1)
    entry = sandbox.records("timeEntries")[0]["id"]
    bad = api.patch(
        f"{BASE}/time/entries/{entry}",
        json=[{"op": "replace", "path": "timeEnd", "value": "2024-02-15 10:00"}],
    )
    assert _errors(bad)[0]["field"] == "timeEnd"
    good = api.patch(
        f"{BASE}/time/entries/{entry}",
        json=[{"op": "replace", "path": "timeEnd", "value": "2024-02-15T10:00:00Z"}],
    )
    assert good.status_code == 200 and good.json()["timeEnd"] == "2024-02-15T10:00:00Z"
    assert (
        api.patch(
            f"{BASE}/time/entries/{entry}", json=[{"op": "replace", "path": "notes", "value": "ok"}]
        ).status_code
        == 200
    )


@given(value=st.one_of(st.text(max_size=25), st.datetimes().map(lambda d: d.isoformat()), st.integers()))
@settings(max_examples=200, deadline=None)
def test_only_cws_datetime_format_is_accepted(value: Any) -> None:
    """Property: a value passes iff it is ``yyyy-MM-ddTHH:mm:ssZ`` naming a real UTC moment."""
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ") if isinstance(value, str) else None
    except ValueError:
        parsed = None
    ok = parsed is not None and parsed.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") == value
    assert (datetime_error(TIMES, "timeStart", value) is None) == ok


@given(moment=st.datetimes(timezones=st.just(timezone.utc)))
@settings(max_examples=100, deadline=None)
def test_every_utc_second_in_cws_format_is_accepted(moment: datetime) -> None:
    assert (
        datetime_error(TIMES, "timeStart", moment.strftime("%Y-%m-%dT%H:%M:%SZ")) is None
        or moment.year < 1000
    )


# ------------------------------------------------------------------------------ required fields


def test_required_fields_of_the_spec(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    """``MissingRequiredField`` per field (REFERENCE.md §3.2): purchase orders need ``status`` and
    ``terms`` and their lines a ``lineNumber`` (the OpenAPI ``PurchaseOrder`` / ``PurchaseOrderLineItem``
    constructors); a communication needs its ``type`` (REFERENCE.md §10.2)."""
    sandbox.seed(size=1)
    po = _errors(api.post(f"{BASE}/procurement/purchaseorders", json={"vendorCompany": {"id": 1}}))
    assert [e["field"] for e in po] == ["status", "terms"]
    order = sandbox.records("purchaseOrders")[0]["id"]
    line = _errors(
        api.post(
            f"{BASE}/procurement/purchaseorders/{order}/lineitems", json={"description": "x", "quantity": 1}
        )
    )
    assert [e["field"] for e in line] == ["lineNumber"]
    contact = sandbox.records("contacts")[0]["id"]
    comm = _errors(
        api.post(f"{BASE}/company/contacts/{contact}/communications", json={"value": "a@b.example"})
    )
    assert [e["field"] for e in comm] == ["type"]


def test_not_found_messages_and_references(api: httpx.Client, sandbox: ConnectWiseSandbox) -> None:
    """404 bodies name the record as CW does (REFERENCE.md §3.2: "Service Ticket 404 not found",
    "company 404 not found", "Contact 123 not found"); every reference a write names must exist."""
    sandbox.seed(size=1)
    for path, message in (
        ("/service/tickets/404", "Service Ticket 404 not found"),
        ("/company/companies/404", "company 404 not found"),
        ("/company/contacts/123", "Contact 123 not found"),
        ("/service/tickets/404/notes", "Service Ticket 404 not found"),
    ):
        answer = api.get(BASE + path)
        assert answer.status_code == 404
        assert answer.json() == {"code": "NotFound", "message": message, "errors": None}
    body = {
        "name": "A",
        "type": {"id": 1},
        "company": {"id": 1},
        "contact": {"id": 1},
        "billToCompany": {"id": 999},
    }
    assert _errors(api.post(f"{BASE}/finance/agreements", json=body)) == [
        {
            "code": "NotFound",
            "message": "company 999 not found",
            "resource": "agreement",
            "field": "billToCompany/id",
        }
    ]
