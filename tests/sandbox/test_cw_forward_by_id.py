"""CW sandbox: a page whose condition names ids or numeric ranges walks only the records they allow
(issue 18: each 30-id look-up of a sync walked every record of the table, and each page of an
invoice's products every product), with the scan's answer."""

from __future__ import annotations

import base64

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import conditions as c
from msplink.sandbox import seed_world
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.connectwise import _conditions as server
from msplink.sandbox.connectwise._reads import resolve_path


def test_a_page_of_named_ids_answers_as_a_scan_would() -> None:
    world = seed_world(40, seed=4)
    with ConnectWiseClient(**world.cw.credentials(), transport=world.cw.transport()) as client:
        everything = [int(x.id or 0) for x in client.companies.list()]
        chosen = [everything[9], everything[3], everything[20]]
        named = [x.id for x in client.companies.list(where=c.F("id").in_([*chosen, 999_999]))]
        assert named == sorted(chosen)
        one = [x.id for x in client.companies.list(where=c.F("id") == chosen[0])]
        assert one == [chosen[0]]
        both = (c.F("id").in_(chosen)) & (c.F("name") == "no such company")
        assert [x.id for x in client.companies.list(where=both)] == []
        paged = [x.id for x in client.companies.list(where=c.F("id").in_(everything[:7]), page_size=2)]
        assert paged == sorted(everything[:7])


def _basic_client(sandbox: ConnectWiseSandbox) -> httpx.Client:
    creds = sandbox.credentials()
    token = base64.b64encode(f"{creds['company_id']}+{creds['public_key']}:{creds['private_key']}".encode())
    auth = {"Authorization": f"Basic {token.decode()}", "clientId": creds["client_id"]}
    return httpx.Client(
        transport=sandbox.transport(), headers=auth, base_url="https://sandbox/v4_6_release/apis/3.0"
    )


def test_a_payment_that_changes_an_invoice_in_place_is_seen_by_its_numeric_index() -> None:
    """A payment rebalances its invoice in place (no put of the invoice): the index of ``balance``
    built by the first read is derived again, so the next read answers as a scan would."""
    world = seed_world("small", seed=1)
    sandbox = world.cw
    invoice = next(
        i for i in sandbox.store.data["invoices"].values() if not sandbox.store.scope("payments", i["id"])
    )
    balance = str(invoice["balance"])
    with _basic_client(sandbox) as client:

        def ids(condition: str) -> set[int]:
            answer = client.get("/finance/invoices", params={"conditions": condition, "pageSize": 1000})
            assert answer.status_code == 200
            return {int(r["id"]) for r in answer.json()}

        assert invoice["id"] in ids(f"balance = {balance}")
        assert invoice["id"] not in ids("balance = 0")
        paid = client.post(f"/finance/invoices/{invoice['id']}/payments", json={"amount": balance})
        assert paid.status_code == 201
        assert invoice["id"] not in ids(f"balance = {balance}")
        assert invoice["id"] in ids("balance = 0")


_VALUES = st.one_of(
    st.none(),
    st.integers(0, 12),
    st.sampled_from(["3", "4.0", "x", "", "NaN", True]),
    st.lists(st.integers(0, 12), max_size=2),
)
_NUMBER = st.integers(-1, 13).map(str)


def _predicate() -> st.SearchStrategy[str]:
    path = st.sampled_from(["invoice/id", "id", "invoice/name"])
    simple = st.tuples(path, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), _NUMBER).map(" ".join)
    listed = st.tuples(
        path, st.sampled_from(["in", "not in"]), st.lists(_NUMBER, min_size=1, max_size=4)
    ).map(lambda t: f"{t[0]} {t[1]} ({', '.join(t[2])})")
    return st.one_of(simple, listed, st.just('invoice/name = "x"'))


_CONDITION = st.recursive(
    _predicate(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        inner.map(lambda t: f"not ({t})"),
    ),
    max_leaves=4,
)


@settings(max_examples=150, deadline=None)
@given(values=st.lists(_VALUES, min_size=1, max_size=25), condition=_CONDITION, forward=st.booleans())
def test_a_numeric_condition_answers_from_its_index_as_a_scan_would(
    values: list[object], condition: str, forward: bool
) -> None:
    """Conditions of ids and id ranges (``invoice/id in (...)``, ``invoice/id >= a and <= b``) take
    their candidates from a sorted index of the path's numbers (issue 18); every answer is the
    scan's (each record tested by the condition), through writes that change the indexed values."""
    sandbox = ConnectWiseSandbox()
    catalog = sandbox.insert("catalog", {"identifier": "SKU", "description": "d", "customerDescription": "d"})
    for n, value in enumerate(values):
        invoice = [{"id": v} for v in value] if isinstance(value, list) else {"id": value, "name": "x"}
        sandbox.insert("products", {"catalogItem": {"id": catalog["id"]}, "invoice": invoice, "n": n})
    headers = {"pagination-type": "forward-only"} if forward else {}
    with _basic_client(sandbox) as client:
        for round_ in range(2):
            node = server.parse(condition)
            table = sandbox.store.data["products"]
            expected = sorted(i for i, r in table.items() if server.evaluate(node, r, resolve_path))
            answer = client.get(
                "/procurement/products", params={"conditions": condition, "pageSize": 7}, headers=headers
            )
            got: list[int] = []
            while True:
                got += [int(r["id"]) for r in answer.json()]
                following = answer.links.get("next")
                if following is None or (not forward and answer.url == following["url"]):
                    break
                answer = client.get(following["url"], headers=headers)
                if not answer.json():
                    break
            assert sorted(set(got)) == expected and len(got) == len(set(got))
            if round_ == 0:  # a write to the collection: the index is derived again
                first = min(table)
                sandbox.store.put("products", {**table[first], "invoice": {"id": 5, "name": "x"}})
