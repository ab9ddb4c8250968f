"""Create customers and invoices through QBO ``/batch`` (30 per call), then apply one payment across invoices.

Runs against the in-process sandbox unless ``MSPLINK_QBO_*`` credentials are set; with real credentials
it only reads (it never writes to a real company).
"""

from __future__ import annotations

import os
from decimal import Decimal

from msplink.quickbooks import BatchOperation, QuickBooksClient
from msplink.quickbooks import models as m
from msplink.sandbox.quickbooks import QuickBooksSandbox


def main() -> None:
    """Batch-create 45 customers (2 calls), invoice three of them, allocate one payment over two invoices."""
    if os.environ.get("MSPLINK_QBO_REALM_ID"):
        with QuickBooksClient.from_env() as qbo:
            print("customers:", qbo.customers.count())
        return
    sandbox = QuickBooksSandbox()
    creds = sandbox.credentials()
    income = next(a for a in sandbox.entities("Account") if a["Name"] == "Services")
    with QuickBooksClient(
        realm_id=creds["realm_id"], auth=creds["access_token"], transport=sandbox.transport()
    ) as qbo:
        item = qbo.items.create(
            m.Item(
                name="Managed Services - Per Device",
                type="Service",
                unit_price=Decimal("45.00"),
                income_account_ref=m.Ref(value=income["Id"]),
            )
        )
        results = qbo.batch(
            BatchOperation.create(m.Customer(display_name=f"Client {i:03d}")) for i in range(45)
        )
        customers = [r.entity for r in results if isinstance(r.entity, m.Customer)]
        print(f"{len(customers)} customers in {sandbox.count('POST', r'/batch$')} batch calls")
        first = customers[0]
        invoices = []
        for devices in (12, 30):
            amount = (Decimal(devices) * Decimal("45.00")).quantize(Decimal("0.01"))
            invoices.append(
                qbo.invoices.create(
                    m.Invoice(
                        customer_ref=m.Ref(value=first.id),
                        line=(
                            m.Line(
                                detail_type="SalesItemLineDetail",
                                amount=amount,
                                sales_item_line_detail=m.SalesItemLineDetail(
                                    item_ref=m.Ref(value=item.id),
                                    qty=Decimal(devices),
                                    unit_price=Decimal("45.00"),
                                ),
                            ),
                        ),
                    )
                )
            )
        payment = qbo.payments.create(
            m.Payment(
                customer_ref=m.Ref(value=first.id),
                total_amt=Decimal("1000.00"),
                line=tuple(
                    m.Line(amount=amount, linked_txn=(m.LinkedTxn(txn_id=inv.id, txn_type="Invoice"),))
                    for inv, amount in zip(invoices, (Decimal("540.00"), Decimal("460.00")), strict=True)
                ),
            )
        )
        for invoice in invoices:
            print(f"invoice {invoice.doc_number}: balance {qbo.invoices.get(str(invoice.id)).balance}")
        print("payment unapplied:", payment.unapplied_amt)


if __name__ == "__main__":
    main()
