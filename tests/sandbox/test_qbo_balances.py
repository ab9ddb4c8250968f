"""QBO sandbox: customer balances follow their documents through any sequence of writes, from the
index of documents by party the settle keeps (issue 18: each batch's settle scanned every invoice,
payment and credit memo of the company), exactly as a scan of every document gives them."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.sandbox._worldstore import dump_company, restore_company
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.quickbooks._faults import Fault
from msplink.sandbox.quickbooks._state import Company

_OPS = st.lists(
    st.tuples(
        st.sampled_from(["invoice", "credit", "pay", "move", "delete", "void", "restore", "clear"]),
        st.integers(0, 2),  # a customer
        st.integers(0, 50),  # a document, by position
        st.integers(1, 400),  # an amount
    ),
    min_size=1,
    max_size=25,
)


def _scanned(company: Company, customer: str) -> Decimal:
    total = Decimal(0)
    for entity, field, sign in (
        ("Invoice", "Balance", 1),
        ("Payment", "UnappliedAmt", -1),
        ("CreditMemo", "Balance", -1),
    ):
        for doc in company.data[entity].values():
            if (doc.get("CustomerRef") or {}).get("value") == customer:
                total += sign * Decimal(str(doc.get(field, 0) or 0))
    return total


@settings(max_examples=40, deadline=None)
@given(ops=_OPS)
def test_customer_balances_are_what_a_scan_of_their_documents_gives(
    ops: list[tuple[str, int, int, int]],
) -> None:
    company = QuickBooksSandbox().company
    customers = [str(company.create("Customer", {"DisplayName": f"Customer {n}"})["Id"]) for n in range(3)]
    income = next(i for i, a in company.data["Account"].items() if a.get("AccountType") == "Income")
    item = str(
        company.create("Item", {"Name": "Labour", "Type": "Service", "IncomeAccountRef": {"value": income}})[
            "Id"
        ]
    )
    saved: dict[str, Any] | None = None

    def line(amount: int) -> list[dict[str, Any]]:
        return [
            {
                "Amount": amount,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": item}},
            }
        ]

    for op, who, which, amount in ops:
        customer = {"value": customers[who]}
        docs = sorted(company.data["Invoice"].items(), key=lambda kv: int(kv[0]))
        doc_id, doc = docs[which % len(docs)] if docs else (None, None)
        try:
            if op == "invoice":
                company.create("Invoice", {"CustomerRef": customer, "Line": line(amount)})
            elif op == "credit":
                company.create("CreditMemo", {"CustomerRef": customer, "Line": line(amount)})
            elif op == "pay" and doc is not None:
                owner = doc["CustomerRef"]
                company.create(
                    "Payment",
                    {
                        "CustomerRef": owner,
                        "TotalAmt": amount,
                        "Line": [
                            {"Amount": min(amount, 1), "LinkedTxn": [{"TxnId": doc_id, "TxnType": "Invoice"}]}
                        ],
                    },
                )
            elif op == "move" and doc is not None:
                company.update(
                    "Invoice",
                    {"Id": doc_id, "SyncToken": doc["SyncToken"], "sparse": True, "CustomerRef": customer},
                )
            elif op == "delete" and doc is not None:
                company.delete("Invoice", {"Id": doc_id, "SyncToken": doc["SyncToken"]})
            elif op == "void" and doc is not None:
                company.void("Invoice", {"Id": doc_id, "SyncToken": doc["SyncToken"]})
            elif op == "restore":
                if saved is None:
                    saved = copy.deepcopy(dump_company(company))  # as a saved world is: a copy
                else:
                    restore_company(company, copy.deepcopy(saved))
            elif op == "clear":
                company.changes.clear()
        except Fault:
            pass  # a write the platform refuses (a linked invoice deleted, an overpayment): no change
        company.settle_balances()
        for cid in customers:
            assert company.data["Customer"][cid]["Balance"] == _scanned(company, cid), (op, cid)
