"""The QBO query grammar as the real service reads it (REFERENCE.md §6).

* ``ORDER BY`` written as two words and ``SELECT *, Sku FROM Item`` are accepted: python-quickbooks 0.9.12
  ``ListMixin.all`` sends exactly ``SELECT *, Sku FROM Item ... ORDER BY ...`` to the real API.
* A property the entity does not have is refused with 400 / 4001 ``QueryValidationError: property 'X' is not
  queryable`` (the real answer quoted in ruckus/quickbooks-ruby#403 and intuit/QuickBooks-V3-DotNET-SDK#163),
  in the select list, WHERE and ORDER BY alike, instead of rows or ``[]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.quickbooks._faults import Fault
from msplink.testing import FakeClock


@pytest.fixture(scope="module")
def sandbox() -> QuickBooksSandbox:
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, enforce_rate_limits=False)
    sandbox.seed(size=12, seed=4)
    return sandbox


@pytest.fixture(scope="module")
def api(sandbox: QuickBooksSandbox) -> Iterator[httpx.Client]:
    creds = sandbox.credentials()
    with httpx.Client(
        transport=sandbox.transport(),
        base_url=f"https://quickbooks.api.intuit.com/v3/company/{creds['realm_id']}",
        headers={"Authorization": f"Bearer {creds['access_token']}", "Accept": "application/json"},
    ) as client:
        yield client


def query(api: httpx.Client, statement: str) -> httpx.Response:
    return api.post("/query", content=statement, headers={"Content-Type": "application/text"})


def rows(api: httpx.Client, statement: str, entity: str) -> list[dict[str, Any]]:
    response = query(api, statement)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["QueryResponse"].get(entity, [])
    return found


def refused(api: httpx.Client, statement: str) -> str:
    response = query(api, statement)
    assert response.status_code == 400, response.text
    error = response.json()["Fault"]["Error"][0]
    assert (error["code"], error["Message"]) == ("4001", "Invalid query")
    detail: str = error["Detail"]
    return detail


def test_order_by_in_two_words_is_orderby(api: httpx.Client) -> None:
    one = rows(api, "SELECT * FROM Customer ORDERBY DisplayName DESC MAXRESULTS 5", "Customer")
    two = rows(api, "select * from Customer order by DisplayName desc maxresults 5", "Customer")
    assert one == two and len(one) == 5
    names = [c["DisplayName"] for c in one]
    assert names == sorted(names, key=str.casefold, reverse=True)
    spaced = rows(
        api,
        "SELECT * FROM Customer WHERE Active = true ORDER  BY  Id STARTPOSITION 2 MAXRESULTS 2",
        "Customer",
    )
    assert [c["Id"] for c in spaced] == [
        c["Id"] for c in rows(api, "SELECT * FROM Customer", "Customer")[1:3]
    ]


def test_star_with_more_fields_returns_whole_objects(api: httpx.Client, sandbox: QuickBooksSandbox) -> None:
    sandbox.add_entity(
        "Item",
        {
            "Name": "Firewall Box",
            "Type": "NonInventory",
            "Sku": "FW-100",
            "IncomeAccountRef": {"value": sandbox.entities("Account")[0]["Id"]},
        },
    )
    items = rows(api, "SELECT *, Sku FROM Item ORDER BY Name", "Item")
    assert items and all(i["sparse"] is False and "Type" in i for i in items)
    assert [i["Sku"] for i in items if "Sku" in i] == ["FW-100"]
    projected = rows(api, "SELECT Id, Sku FROM Item WHERE Name = 'Firewall Box'", "Item")
    assert projected == [
        {"Id": projected[0]["Id"], "SyncToken": "0", "Sku": "FW-100", "domain": "QBO", "sparse": True}
    ]


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("SELECT Nmae FROM Customer", "Nmae"),
        ("SELECT Id, DisplayNam FROM Customer", "DisplayNam"),
        ("SELECT *, Skuu FROM Item", "Skuu"),
        ("SELECT * FROM Customer WHERE Balanse > '0'", "Balanse"),
        ("SELECT COUNT(*) FROM Invoice WHERE CustomerRef = '1' AND TotalAmount > '5'", "TotalAmount"),
        ("SELECT * FROM Invoice ORDER BY TxnDat", "TxnDat"),
        ("SELECT * FROM Invoice WHERE MetaData.LastUpdatedTme > '2026-01-01'", "MetaData.LastUpdatedTme"),
        ("SELECT * FROM CreditCardPayment WHERE VendorRefs = '1'", "VendorRefs"),
    ],
)
def test_unknown_properties_are_refused_naming_them(api: httpx.Client, statement: str, named: str) -> None:
    assert refused(api, statement) == f"QueryValidationError: property '{named}' is not queryable"


def test_known_properties_resolve_case_insensitively(api: httpx.Client) -> None:
    assert rows(
        api, "select id from invoice where metadata.lastupdatedtime > '2000-01-01' maxresults 1", "Invoice"
    )
    assert rows(api, "SELECT * FROM Customer WHERE Balance > '0'", "Customer") is not None


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("SELECT * FROM Invoice WHERE Line.Amount > '5'", "Line.Amount"),
        ("SELECT * FROM Vendor WHERE AcctNum = '7'", "AcctNum"),
        ("SELECT * FROM Vendor WHERE PrimaryEmailAddr = 'a@b.example'", "PrimaryEmailAddr"),
        ("SELECT * FROM Account WHERE acctnum = '4000'", "AcctNum"),
    ],
)
def test_real_but_unfilterable_properties_are_refused_in_where(
    api: httpx.Client, statement: str, named: str
) -> None:
    assert refused(api, statement) == f"QueryValidationError: property '{named}' is not queryable"


def test_batch_queries_are_validated_the_same_way(api: httpx.Client) -> None:
    items = [
        {"bId": "ok", "Query": "SELECT COUNT(*) FROM Customer"},
        {"bId": "typo", "Query": "SELECT * FROM Customer ORDER BY Nmae"},
    ]
    answers = {
        a["bId"]: a for a in api.post("/batch", json={"BatchItemRequest": items}).json()["BatchItemResponse"]
    }
    assert answers["ok"]["QueryResponse"] == {"totalCount": 12}
    assert (
        answers["typo"]["Fault"]["Error"][0]["Detail"]
        == "QueryValidationError: property 'Nmae' is not queryable"
    )


# Every sample statement of Intuit's API reference pages for the entities the sandbox emulates (mirrored in
# Petrus-Han/finance_plugins ref/quickbooks_dev_docs/api-reference, commit de24b85; the shared samples' source).
INTUIT_SAMPLE_QUERIES = (
    "SELECT * FROM Account WHERE AccountType = 'Bank' AND Name LIKE '%Mercury%'",
    "SELECT * FROM Account WHERE AccountType = 'Bank'",
    "SELECT * FROM Account WHERE Active = true",
    "SELECT * FROM Account WHERE Classification = 'Expense'",
    "SELECT * FROM Account WHERE Metadata.CreateTime > '2014-12-31'",
    "SELECT * FROM Account WHERE Name LIKE '%Checking%'",
    "SELECT * FROM Customer",
    "SELECT * FROM Customer ORDERBY DisplayName STARTPOSITION 1 MAXRESULTS 50",
    "SELECT * FROM Customer WHERE Active = true",
    "SELECT * FROM Customer WHERE Balance > 0",
    "SELECT * FROM Customer WHERE DisplayName LIKE '%ABC%'",
    "SELECT * FROM Customer WHERE Job = false",
    "SELECT * FROM Customer WHERE MetaData.LastUpdatedTime > '2024-01-01'",
    "SELECT * FROM Customer WHERE ParentRef = '58'",
    "SELECT * FROM Customer WHERE PrimaryEmailAddr LIKE '%@example.com%'",
    "SELECT * FROM Deposit",
    "SELECT * FROM Deposit ORDERBY TxnDate DESC STARTPOSITION 1 MAXRESULTS 50",
    "SELECT * FROM Deposit WHERE TotalAmt > 1000 ORDERBY TotalAmt DESC",
    "SELECT * FROM Deposit WHERE TxnDate >= '2024-01-01' AND TxnDate <= '2024-01-31'",
    "SELECT * FROM Purchase",
    "SELECT * FROM Purchase ORDERBY TxnDate DESC STARTPOSITION 1 MAXRESULTS 50",
    "SELECT * FROM Purchase WHERE PaymentType = 'Check'",
    "SELECT * FROM Purchase WHERE TotalAmt > 1000 ORDERBY TotalAmt DESC",
    "SELECT * FROM Purchase WHERE TxnDate >= '2024-01-01' AND TxnDate <= '2024-01-31'",
    "SELECT * FROM Transfer",
    "SELECT * FROM Transfer ORDERBY TxnDate DESC STARTPOSITION 1 MAXRESULTS 50",
    "SELECT * FROM Transfer WHERE Amount > 1000",
    "SELECT * FROM Transfer WHERE TxnDate >= '2024-01-01' AND TxnDate <= '2024-01-31'",
    "SELECT * FROM Vendor",
    "SELECT * FROM Vendor ORDERBY DisplayName STARTPOSITION 1 MAXRESULTS 50",
    "SELECT * FROM Vendor WHERE Active = true",
    "SELECT * FROM Vendor WHERE Balance > 0",
    "SELECT * FROM Vendor WHERE CompanyName LIKE '%Supplies%'",
    "SELECT * FROM Vendor WHERE DisplayName LIKE '%ABC%'",
    "SELECT * FROM Vendor WHERE MetaData.LastUpdatedTime > '2024-01-01'",
    "SELECT * FROM Vendor WHERE Vendor1099 = true",
    "Select * From RecurringTransaction",
    "Select * From TaxRate",
    "Select * from CreditMemo where TxnDate > '2014-04-15'",
    "select * From TaxCode",
    "select * from Class",
    "select * from CompanyInfo",
    "select * from Department",
    "select * from Employee where DisplayName = 'Emily Platt'",
    "select * from Invoice where id = '239'",
    "select * from Item where Name = 'Rock Fountain'",
    "select * from Item where Type='Bundle'",
    "select * from Item where Type='Category'",
    "select * from JournalEntry Where Metadata.LastUpdatedTime>'2014-09-15T00:00:00-07:00' Order By Metadata.LastUpdatedTime",
    "select * from Payment where CustomerRef = '20'",
    "select * from Payment where TotalAmt > '10.00'",
    "select * from PaymentMethod",
    "select * from Preferences",
    "select * from PurchaseOrder where Id = '259'",
    "select * from RefundReceipt where Id='66'",
    "select * from SalesReceipt where id='11'",
    "select * from TaxAgency",
    "select * from Term",
    "select * from TimeActivity where TxnDate > '2014-09-14'",
    "select * from bill maxresults 2",
    "select * from billpayment Where Metadata.LastUpdatedTime>'2014-12-12T14:50:22-08:00' Order By Metadata.LastUpdatedTime",
    "select * from companycurrency",
    "select * from creditcardpayment",
    "select * from estimate where TxnDate < '2014-09-15'",
    "select * from exchangerate where sourcecurrencycode in ('EUR', 'INR') and asofdate='2015-07-07'",
    "select * from vendorcredit",
    "select Id from attachable where AttachableRef.EntityRef.Type = 'purchase' and AttachableRef.EntityRef.value = '611'",
)


@pytest.mark.parametrize("statement", INTUIT_SAMPLE_QUERIES)
def test_intuits_sample_statements_run(statement: str) -> None:
    _SAMPLES_COMPANY.run_query(statement)


def test_attachable_sample_query_finds_through_the_reference_list() -> None:
    sandbox = QuickBooksSandbox(enforce_rate_limits=False)
    sandbox.seed(size=3)
    notes = [
        sandbox.add_entity(
            "Attachable", {"Note": f"n{i}", "AttachableRef": [{"EntityRef": {"type": kind, "value": "1"}}]}
        )
        for i, kind in enumerate(("Invoice", "Bill", "Invoice"))
    ]
    found = sandbox.run_query(
        "select Id from attachable where AttachableRef.EntityRef.Type = 'invoice' and AttachableRef.EntityRef.value = '1'"
    )
    assert [a["Id"] for a in found["Attachable"]] == [notes[0]["Id"], notes[2]["Id"]]


_SAMPLES_COMPANY = QuickBooksSandbox(enforce_rate_limits=False, multicurrency=True)
_SAMPLES_COMPANY.seed(size=5)


# ------------------------------------------------------------------------------------------ properties


def quote(value: str) -> str:
    """The escaping REFERENCE §6 documents: backslash first, then the quote."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


_NAMES = QuickBooksSandbox(enforce_rate_limits=False)
_THREE = QuickBooksSandbox(enforce_rate_limits=False)
for _name in ("Alpha", "Beta", "Gamma"):
    _THREE.add_entity("Customer", {"DisplayName": _name})


@given(name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_any_quoted_name_finds_exactly_its_customer(name: str) -> None:
    name = name.strip().replace(":", "")
    taken = {c["DisplayName"].casefold() for c in _NAMES.company.data["Customer"].values()}
    if not name or name.casefold() in taken or (name + "x").casefold() in taken:
        return
    created = _NAMES.add_entity("Customer", {"DisplayName": name})
    _NAMES.add_entity("Customer", {"DisplayName": name + "x"})
    found = _NAMES.run_query(f"SELECT * FROM Customer WHERE DisplayName = {quote(name)}")
    assert [c["Id"] for c in found["Customer"]] == [created["Id"]]


@given(statement=st.text(max_size=120))
@settings(max_examples=100, deadline=None)
def test_no_statement_breaks_the_evaluator(statement: str) -> None:
    try:
        answer = _THREE.run_query(statement)
    except Fault as fault:
        assert fault.code in {"4000", "4001", "6000"} and fault.status == 400
    else:
        json.dumps(answer, default=str)


_FIELDS = st.sampled_from(
    ["Id", "DisplayName", "Balance", "Active", "MetaData.CreateTime", "Nope", "Line", "CompanyName"]
)
_VALUES = st.one_of(
    st.integers(-5, 5).map(str),
    st.sampled_from(["'0'", "true", "false", "'2026-01-01'", "CURRENT_DATE", "'%a%'", "('1', '2')"]),
    st.text(max_size=6).map(quote),
)


@given(
    field=_FIELDS,
    op=st.sampled_from(["=", "<", ">", "<=", ">=", "IN", "LIKE", "!="]),
    value=_VALUES,
    order=_FIELDS,
    start=st.integers(0, 20),
    size=st.integers(0, 1200),
)
@settings(max_examples=100, deadline=None)
@example(field="Balance", op=">=", value="'NAN'", order="Id", start=0, size=10)  # found by this property
@example(field="Balance", op="<", value="'Infinity'", order="Id", start=0, size=10)
def test_generated_statements_answer_rows_or_a_query_fault(
    field: str, op: str, value: str, order: str, start: int, size: int
) -> None:
    statement = f"SELECT * FROM Customer WHERE {field} {op} {value} ORDER BY {order} STARTPOSITION {start} MAXRESULTS {size}"
    try:
        answer = _THREE.run_query(statement)
    except Fault as fault:
        assert fault.code in {"4000", "4001"}
        if fault.code == "4001" and "is not queryable" in fault.detail:
            assert "'Nope'" in fault.detail or "'Line'" in fault.detail
    else:
        assert field not in {"Nope", "Line"} and order != "Nope"
        assert set(answer) <= {"Customer", "startPosition", "maxResults"}
        assert len(answer.get("Customer", [])) <= 3
