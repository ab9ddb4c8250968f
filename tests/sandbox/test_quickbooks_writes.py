"""Write paths of the QBO sandbox: what the real service accepts, and no input ever producing an error 500.

* ``TxnDate: ""``, ``DueDate: ""``, ``ShipDate: ""`` mean "unset" to the real API (issue 12), not an error.
* Unknown keys and wrong shapes are refused by Intuit's deserialiser with 400 / 2010 "Request has invalid or
  unsupported property", ``Property Name:Unrecognized field "X" ... specified is unsupported or invalid``
  (python-quickbooks#38 quotes the real answers; intuit/QuickBooks-V3-DotNET-SDK#376).
* Fuzzing: random JSON bodies and schema-shaped bodies (Intuit's XSD keys with random values) on every write
  path answer 200 or a 4xx fault body; the sandbox runs with ``raise_internal_errors=True`` so any internal
  error fails the test instead of becoming a 500.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.quickbooks._schema import TYPES
from msplink.sandbox.quickbooks._state import JSON_NAMES, SEGMENTS


def _client(sandbox: QuickBooksSandbox) -> httpx.Client:
    creds = sandbox.credentials()
    return httpx.Client(
        transport=sandbox.transport(),
        base_url=f"https://quickbooks.api.intuit.com/v3/company/{creds['realm_id']}",
        headers={"Authorization": f"Bearer {creds['access_token']}", "Accept": "application/json"},
    )


@pytest.fixture
def sandbox() -> QuickBooksSandbox:
    return QuickBooksSandbox(enforce_rate_limits=False)


@pytest.fixture
def api(sandbox: QuickBooksSandbox) -> Iterator[httpx.Client]:
    with _client(sandbox) as client:
        yield client


def send(api: httpx.Client, path: str, data: Any, **params: str) -> httpx.Response:
    text = json.dumps(data, default=lambda d: float(d) if isinstance(d, Decimal) else str(d))
    return api.post(path, params=params, content=text, headers={"Content-Type": "application/json"})


def _setup(sandbox: QuickBooksSandbox) -> dict[str, str]:
    income = next(a["Id"] for a in sandbox.entities("Account") if a["Name"] == "Services")
    return {
        "customer": sandbox.add_entity(
            "Customer", {"DisplayName": "Fabrikam", "SalesTermRef": {"value": "3"}}
        )["Id"],
        "item": sandbox.add_entity(
            "Item", {"Name": "Hour", "Type": "Service", "IncomeAccountRef": {"value": income}}
        )["Id"],
    }


def test_empty_dates_mean_unset(api: httpx.Client, sandbox: QuickBooksSandbox) -> None:
    ids = _setup(sandbox)
    detail: dict[str, Any] = {"ItemRef": {"value": ids["item"]}}
    line = {"DetailType": "SalesItemLineDetail", "Amount": 10, "SalesItemLineDetail": detail}
    sent = {
        "CustomerRef": {"value": ids["customer"]},
        "TxnDate": "",
        "DueDate": "",
        "ShipDate": "",
        "Line": [line],
    }
    response = send(api, "/invoice", sent)
    assert response.status_code == 200, response.text
    invoice = response.json()["Invoice"]
    today = sandbox.company.today()
    assert invoice["TxnDate"] == today.isoformat()
    assert (
        invoice["DueDate"] == today.fromordinal(today.toordinal() + 30).isoformat()
    )  # the customer's Net 30
    assert "ShipDate" not in invoice
    line_date = {**line, "SalesItemLineDetail": {**detail, "ServiceDate": ""}}
    assert (
        send(
            api,
            "/estimate",
            {"CustomerRef": {"value": ids["customer"]}, "ExpirationDate": "", "Line": [line_date]},
        ).status_code
        == 200
    )
    bad = send(api, "/invoice", {**sent, "TxnDate": "31/01/2026"})
    assert bad.status_code == 400 and bad.json()["Fault"]["Error"][0]["code"] == "2010"


@pytest.mark.parametrize(
    ("data", "element"),
    [
        ({"DisplayName": "A", "FutureField": 1}, "FutureField"),
        ({"DisplayName": "A", "PrimaryEmailAddr": "a@b.example"}, "PrimaryEmailAddr"),
        ({"DisplayName": "A", "Balance": {"x": 1}}, "Balance"),
        ({"DisplayName": "A", "Taxable": "maybe"}, "Taxable"),
        ({"DisplayName": ["A"]}, "DisplayName"),
        ({"DisplayName": "A", "BillAddr": {"Line1": "x", "Street": "y"}}, "Street"),
    ],
)
def test_unknown_keys_and_wrong_shapes_are_2010(
    api: httpx.Client, data: dict[str, Any], element: str
) -> None:
    response = send(api, "/customer", data)
    assert response.status_code == 400
    error = response.json()["Fault"]["Error"][0]
    assert (error["code"], error["Message"]) == ("2010", "Request has invalid or unsupported property")
    assert error["Detail"].startswith("Property Name:") and error["element"].endswith(element)


def test_unrecognized_field_names_the_class_as_intuit_does(api: httpx.Client) -> None:
    detail = send(api, "/invoice", {"BillableSt": "x"}).json()["Fault"]["Error"][0]["Detail"]
    assert detail == (
        'Property Name:Unrecognized field "BillableSt" (class com.intuit.schema.finance.v3.Invoice), '
        "not marked as ignorable specified is unsupported or invalid"
    )


def test_scalars_are_coerced_as_jackson_does(api: httpx.Client, sandbox: QuickBooksSandbox) -> None:
    ids = _setup(sandbox)
    line = {
        "DetailType": "SalesItemLineDetail",
        "Amount": "12.50",
        "SalesItemLineDetail": {"ItemRef": {"value": int(ids["item"])}, "Qty": "1", "UnitPrice": "12.5"},
    }
    response = send(
        api,
        "/invoice",
        {
            "CustomerRef": {"value": int(ids["customer"])},
            "DocNumber": 7001,
            "AllowOnlineACHPayment": "true",
            "Line": [line],
        },
    )
    assert response.status_code == 200, response.text
    invoice = json.loads(response.text, parse_float=Decimal)["Invoice"]
    assert (invoice["DocNumber"], invoice["AllowOnlineACHPayment"], invoice["TotalAmt"]) == (
        "7001",
        True,
        Decimal("12.50"),
    )


def test_unreadable_bodies_are_2010(api: httpx.Client) -> None:
    for content in (b"{", b"[1,", b"\xff\xfe", b"[" * 100_000, b"1" * 5000, b'{"DisplayName": 1e999999}'):
        response = api.post("/customer", content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert response.json()["Fault"]["Error"][0]["code"] in {"2010", "2050", "2170"}


# ------------------------------------------------------------------------------------------------ fuzz

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
_IDS = st.sampled_from(["1", "2", "3", "4", "999", "TAX", "NON", "", "x", "1.5"])


def _scalar(kind: str) -> st.SearchStrategy[Any]:
    if kind == "decimal":
        return st.one_of(
            st.integers(-1000, 100_000), st.decimals(-1000, 100_000, places=3, allow_nan=False).map(str)
        )
    if kind == "int":
        return st.integers(-5, 5000)
    if kind == "boolean":
        return st.booleans()
    if kind == "date":
        return st.one_of(st.dates().map(lambda d: d.isoformat()), st.just(""), st.just("2026-02-30"))
    if kind == "dateTime":
        return st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.just(""))
    return st.one_of(_IDS, st.text(max_size=12))


def _value(kind: str, is_list: bool, depth: int) -> st.SearchStrategy[Any]:
    if kind == "ReferenceType":
        one: st.SearchStrategy[Any] = st.fixed_dictionaries({"value": _IDS})
    elif kind in TYPES and depth < 3:
        one = _shaped(kind, depth + 1)
    else:
        one = _scalar(kind)
    one = st.one_of(one, _JUNK) if depth > 0 else one
    return st.lists(one, max_size=3) if is_list else one


def _shaped(type_name: str, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    fields = TYPES[type_name]
    keys = sorted(k for k in fields if not k.endswith("Ex"))
    if not keys:
        return st.just({})
    return st.lists(st.sampled_from(keys), max_size=6, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({k: _value(*fields[k], depth) for k in chosen})
    )


_ENTITIES = sorted(set(SEGMENTS.values()))
_OPERATIONS = st.sampled_from(
    [
        {},
        {"operation": "update"},
        {"operation": "delete"},
        {"operation": "void"},
        {"operation": "update", "include": "void"},
        {"operation": "create"},
    ]
)
_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)

_FUZZ = QuickBooksSandbox(enforce_rate_limits=False)
_FUZZ.seed(size=4, seed=1)
_FUZZ_API = _client(_FUZZ)


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        fault = response.json()["Fault"]
        assert fault["Error"][0]["code"] and fault["type"]


@st.composite
def _schema_requests(draw: st.DrawFn) -> tuple[str, dict[str, str], Any]:
    entity = draw(st.sampled_from(_ENTITIES))
    type_name = JSON_NAMES.get(entity, entity)
    if entity == "RecurringTransaction":
        kind = draw(st.sampled_from(["Invoice", "Bill", "Deposit", "JournalEntry"]))
        data: Any = {kind: draw(_shaped(kind))}
    else:
        data = draw(_shaped(type_name) if type_name in TYPES else _JSON)
    return entity, draw(_OPERATIONS), data


@given(request=_schema_requests())
@settings(max_examples=150, deadline=None)
def test_schema_shaped_bodies_never_make_a_500(request: tuple[str, dict[str, str], Any]) -> None:
    entity, params, data = request
    _check(send(_FUZZ_API, f"/{entity.lower()}", data, **params))


_SALES = [
    {
        "DetailType": "SalesItemLineDetail",
        "Amount": 90,
        "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 2, "UnitPrice": 45},
    }
]
_EXPENSE = [
    {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": 12,
        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "9"}},
    }
]
_GOOD: dict[str, dict[str, Any]] = {
    "Customer": {
        "DisplayName": "Fuzz Co",
        "PrimaryEmailAddr": {"Address": "a@b.example"},
        "SalesTermRef": {"value": "2"},
    },
    "Vendor": {"DisplayName": "Fuzz Vendor", "TermRef": {"value": "1"}},
    "Employee": {"GivenName": "Fu", "FamilyName": "Zz"},
    "Item": {"Name": "Fuzz Item", "Type": "Service", "IncomeAccountRef": {"value": "1"}, "UnitPrice": 10},
    "Account": {"Name": "Fuzz Account", "AccountType": "Expense"},
    "Term": {"Name": "Net 7", "DueDays": 7},
    "PaymentMethod": {"Name": "Wire", "Type": "NON_CREDIT_CARD"},
    "Invoice": {
        "CustomerRef": {"value": "1"},
        "Line": _SALES,
        "TxnDate": "2026-01-31",
        "BillEmail": {"Address": "x@y.example"},
    },
    "Estimate": {"CustomerRef": {"value": "1"}, "Line": _SALES},
    "CreditMemo": {"CustomerRef": {"value": "1"}, "Line": _SALES},
    "SalesReceipt": {"Line": _SALES, "PaymentMethodRef": {"value": "1"}},
    "RefundReceipt": {"Line": _SALES, "DepositToAccountRef": {"value": "5"}},
    "Payment": {
        "CustomerRef": {"value": "1"},
        "TotalAmt": 5,
        "Line": [{"Amount": 5, "LinkedTxn": [{"TxnId": "5", "TxnType": "Invoice"}]}],  # the Invoice above
    },
    "Bill": {"VendorRef": {"value": "1"}, "Line": _EXPENSE},
    "VendorCredit": {"VendorRef": {"value": "1"}, "Line": _EXPENSE},
    "PurchaseOrder": {"VendorRef": {"value": "1"}, "Line": _EXPENSE},
    "Purchase": {"PaymentType": "Cash", "AccountRef": {"value": "5"}, "Line": _EXPENSE},
    "BillPayment": {
        "VendorRef": {"value": "1"},
        "PayType": "Check",
        "TotalAmt": 1,
        "CheckPayment": {"BankAccountRef": {"value": "5"}},
        "Line": [{"Amount": 1, "LinkedTxn": [{"TxnId": "1", "TxnType": "Bill"}]}],
    },
    "CreditCardPayment": {
        "Amount": 5,
        "BankAccountRef": {"value": "5"},
        "CreditCardAccountRef": {"value": "11"},
    },
    "Transfer": {"FromAccountRef": {"value": "5"}, "ToAccountRef": {"value": "10"}, "Amount": 3},
    "Deposit": {
        "DepositToAccountRef": {"value": "5"},
        "Line": [
            {
                "Amount": 4,
                "DetailType": "DepositLineDetail",
                "DepositLineDetail": {"AccountRef": {"value": "1"}},
            }
        ],
    },
    "JournalEntry": {
        "Line": [
            {
                "DetailType": "JournalEntryLineDetail",
                "Amount": 5,
                "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "9"}},
            },
            {
                "DetailType": "JournalEntryLineDetail",
                "Amount": 5,
                "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": "5"}},
            },
        ]
    },
    "TimeActivity": {
        "NameOf": "Employee",
        "EmployeeRef": {"value": "1"},
        "Hours": 1,
        "Minutes": 30,
        "BillableStatus": "Billable",
        "CustomerRef": {"value": "1"},
        "HourlyRate": 100,
    },
    "Attachable": {"Note": "fuzz", "AttachableRef": [{"EntityRef": {"type": "Invoice", "value": "1"}}]},
    "TaxAgency": {"DisplayName": "Fuzz Agency"},
    "Class": {"Name": "Fuzz Class"},
    "Department": {"Name": "Fuzz Dept"},
}


@st.composite
def _mutated_requests(draw: st.DrawFn) -> tuple[str, dict[str, str], dict[str, Any], bool]:
    """A valid body, then a few random edits: drop a key, set a key to a schema-typed or junk value,
    edit a line; half of them become an update (or delete, void ...) of the type's newest stored entity."""
    entity = draw(st.sampled_from(sorted(_GOOD)))
    fields = TYPES[JSON_NAMES.get(entity, entity)]
    data = json.loads(json.dumps(_GOOD[entity]))
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["drop", "set", "line"]))
        if action == "drop" and data:
            data.pop(draw(st.sampled_from(sorted(data))))
        elif action == "set":
            key = draw(st.sampled_from(sorted(k for k in fields if not k.endswith("Ex"))))
            data[key] = draw(st.one_of(_value(*fields[key], 0), _JUNK))
        elif action == "line" and isinstance(data.get("Line"), list) and data["Line"]:
            line = data["Line"][0]
            if not isinstance(line, dict):  # a "set" made Line a list of scalars: nothing to edit
                continue
            key = draw(st.sampled_from(sorted(k for k in TYPES["Line"] if not k.endswith("Ex"))))
            line[key] = draw(st.one_of(_value(*TYPES["Line"][key], 1), _JUNK))
    update = draw(st.booleans())
    return entity, draw(_OPERATIONS) if update else {}, data, update


for _entity, _body in _GOOD.items():  # one stored instance of each type, for updates, deletes and voids
    _FUZZ.add_entity(_entity, json.loads(json.dumps(_body), parse_float=Decimal))


@given(request=_mutated_requests())
@settings(max_examples=300, deadline=None)
def test_mutated_valid_bodies_never_make_a_500(
    request: tuple[str, dict[str, str], dict[str, Any], bool],
) -> None:
    entity, params, data, update = request
    stored = _FUZZ.company.data[entity]
    if update and stored:  # a fuzzed delete may have removed the last one
        target = stored[max(stored, key=int)]
        data = {**data, "Id": target["Id"], "SyncToken": target["SyncToken"]}
    _check(send(_FUZZ_API, f"/{entity.lower()}", data, **params))


@given(entity=st.sampled_from(_ENTITIES), params=_OPERATIONS, data=_JSON)
@settings(max_examples=150, deadline=None)
def test_random_json_bodies_never_make_a_500(entity: str, params: dict[str, str], data: Any) -> None:
    _check(send(_FUZZ_API, f"/{entity.lower()}", data, **params))


@given(
    items=st.lists(
        st.one_of(
            _JSON,
            st.builds(
                lambda bid, op, entity, body, options: {
                    "bId": bid,
                    "operation": op,
                    JSON_NAMES.get(entity, entity): body,
                    **options,
                },
                st.text(min_size=1, max_size=4),
                st.sampled_from(["create", "update", "delete", "void", ""]),
                st.sampled_from(_ENTITIES),
                _JSON,
                st.sampled_from([{}, {"optionsData": "void"}]),
            ),
            st.builds(
                lambda bid, q: {"bId": bid, "Query": q}, st.text(min_size=1, max_size=4), st.text(max_size=40)
            ),
        ),
        max_size=4,
    )
)
@settings(max_examples=120, deadline=None)
def test_batches_never_make_a_500(items: list[Any]) -> None:
    _check(send(_FUZZ_API, "/batch", {"BatchItemRequest": items}))


@given(
    path=st.sampled_from(["/taxservice/taxcode", "/exchangerate", "/preferences", "/companyinfo", "/upload"]),
    data=st.one_of(_JSON, _shaped("TaxService"), _shaped("ExchangeRate"), _shaped("Preferences")),
)
@settings(max_examples=60, deadline=None)
def test_special_write_paths_never_make_a_500(path: str, data: Any) -> None:
    _check(send(_FUZZ_API, path, data))


@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from(["file_metadata_01", "file_content_01", "file_content_02", "other"]),
            st.binary(max_size=40),
            st.sampled_from(["", "Content-Type: application/json", "Content-Transfer-Encoding: base64"]),
        ),
        max_size=3,
    )
)
@settings(max_examples=80, deadline=None)
def test_uploads_never_make_a_500(parts: list[tuple[str, bytes, str]]) -> None:
    boundary = "xyzBOUNDARY"
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="f.pdf"\r\n{header}\r\n\r\n'.encode()
        + data
        + b"\r\n"
        for name, data, header in parts
    ]
    content = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    response = _FUZZ_API.post(
        "/upload", content=content, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    _check(response)


_SEGMENT = st.text(
    st.characters(blacklist_categories=("Cs", "Co"), blacklist_characters="/?#"), min_size=1, max_size=12
).map(lambda text: quote(text, safe=""))  # sent percent-encoded, as a client would


@given(
    path=st.one_of(
        st.builds(lambda e, i: f"/{e.lower()}/{i}", st.sampled_from(_ENTITIES), st.one_of(_IDS, _SEGMENT)),
        st.builds(lambda i: f"/download/{i}", st.one_of(_IDS, _SEGMENT)),
    ),
    params=st.dictionaries(
        st.sampled_from(
            ["include", "minorversion", "entities", "changedSince", "sourcecurrencycode", "asofdate", "query"]
        ),
        st.text(max_size=30),
        max_size=3,
    ),
    read=st.sampled_from(["", "/cdc", "/exchangerate", "/query", "/preferences"]),
)
@settings(max_examples=150, deadline=None)
def test_reads_never_make_a_500(path: str, params: dict[str, str], read: str) -> None:
    _check(_FUZZ_API.get(read or path, params=params))
