"""Read only what changed in ConnectWise since a watermark (incremental sync).

Uses ``MSPLINK_CW_*`` credentials when they are set; otherwise it runs against the in-process sandbox.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from msplink.connectwise import ConnectWiseClient, Watermark
from msplink.connectwise import models as m
from msplink.sandbox.connectwise import ConnectWiseSandbox


def main() -> None:
    """Two runs: the first reads recent invoices, the second only the invoice changed in between."""
    if os.environ.get("MSPLINK_CW_PRIVATE_KEY"):
        cw = ConnectWiseClient.from_env()
        sandbox = None
    else:
        sandbox = ConnectWiseSandbox()
        sandbox.seed(size=30, seed=2)
        cw = ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())
    with cw:
        mark = Watermark(datetime.now(timezone.utc) - timedelta(days=7))
        seen: dict[int, datetime] = {}
        for invoice in cw.invoices.updated(mark, fields=["invoiceNumber", "total", "balance"]):
            mark = mark.advance(invoice)
            if invoice.id is not None and invoice.last_updated is not None:
                seen[invoice.id] = invoice.last_updated
        print(f"first run: {len(seen)} invoices, watermark {mark.timestamp.isoformat()} / id {mark.id}")
        if sandbox is not None:
            first = cw.invoices.list(limit=1).first()
            if first is not None and first.id is not None:
                cw.invoices.update(first.id, m.InvoiceUpdate(customer_po="PO-42"))
        changed = cw.invoices.updated(mark, seen=seen).to_list()
        print(f"second run: {len(changed)} changed invoice(s): {[i.invoice_number for i in changed]}")


if __name__ == "__main__":
    main()
