"""QuickBooks bills <-> canonical vendor bills."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._money import line_amount, quantize_amount
from msplink.mappers._util import fail, money, opt_money, require, total
from msplink.mappers.quickbooks._lines import detail_type_of, item_ref_out, line_tax_in, line_tax_out
from msplink.mappers.quickbooks._shared import (
    SYSTEM,
    config_or_empty,
    currency_in,
    is_deletion_stub,
    link_in,
    own_ref,
    reference_out,
    refs_of,
    terms_in,
    terms_out,
    updated_in,
)
from msplink.models import (
    InvoiceLine,
    Link,
    VendorBill,
    VendorBillLine,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "UNMAPPED_BILL_FIELDS",
    "bill_from_canonical",
    "bill_to_vendor_bill",
]


_BILL_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "vendor_ref",
        "doc_number",
        "txn_date",
        "due_date",
        "private_note",
        "currency_ref",
        "line",
        "total_amt",
        "balance",
        "sales_term_ref",
        "linked_txn",
        "exchange_rate",
    }
)


UNMAPPED_BILL_FIELDS: Final = unmapped_fields(qbo.Bill, _BILL_MAPPED) | {"total_amt", "balance", "linked_txn"}
"""Bill attributes not carried (``TotalAmt``/``Balance`` are read-only; ``LinkedTxn`` is read for the PO link)."""


@total("VendorBill")
def bill_to_vendor_bill(
    bill: qbo.Bill | Mapping[str, Any], config: MappingConfig | None = None
) -> VendorBill:
    """Map a QBO bill (``GET /v3/company/{realm}/bill/{id}``) to a canonical :class:`VendorBill`.

    Args:
        bill: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    b = parse_model(qbo.Bill, bill, "VendorBill")
    if is_deletion_stub(b):
        return VendorBill(refs=refs_of(b, "Bill"), deleted=True, vendor=Link(), currency=cfg.default_currency)
    currency = currency_in(b.currency_ref, cfg, "VendorBill.currency")
    lines = []
    for i, line in enumerate(b.line or ()):
        path = f"VendorBill.lines[{i}]"
        amount = money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount")
        detail_type = detail_type_of(line.detail_type)
        if detail_type == "AccountBasedExpenseLineDetail":
            d = line.account_based_expense_line_detail or qbo.AccountBasedExpenseLineDetail()
            account = d.account_ref.value if d.account_ref is not None else None
            key = cfg.expense_accounts.find_inverse(account) if account else None
            tax_code, taxable = line_tax_in(d.tax_code_ref, cfg, f"{path}.tax_code")
            lines.append(
                VendorBillLine(
                    amount=amount,
                    description=line.description,
                    account=key or account,
                    customer=link_in(d.customer_ref, "Customer"),
                    billable=d.billable_status == "Billable",
                    tax_code=tax_code,
                    taxable=taxable,
                )
            )
        elif detail_type == "ItemBasedExpenseLineDetail":
            e = line.item_based_expense_line_detail or qbo.ItemBasedExpenseLineDetail()
            item_id = e.item_ref.value if e.item_ref is not None else None
            tax_code, taxable = line_tax_in(e.tax_code_ref, cfg, f"{path}.tax_code")
            lines.append(
                VendorBillLine(
                    amount=amount,
                    description=line.description,
                    quantity=e.qty,
                    unit_cost=opt_money(e.unit_price, currency, f"{path}.unit_cost"),
                    product=link_in(e.item_ref, "Item"),
                    sku=cfg.catalog_items.find_inverse(item_id) if item_id else None,
                    customer=link_in(e.customer_ref, "Customer"),
                    billable=e.billable_status == "Billable",
                    tax_code=tax_code,
                    taxable=taxable,
                )
            )
        else:
            fail(f"{path}.DetailType", "unsupported bill line type", value=line.detail_type)
    purchase_order = None
    for txn in b.linked_txn or ():
        if txn.txn_type == "PurchaseOrder" and txn.txn_id:
            purchase_order = Link.to(SYSTEM, "PurchaseOrder", txn.txn_id)
    return VendorBill(
        refs=refs_of(b, "Bill"),
        updated_at=updated_in(b, "VendorBill.updated_at"),
        vendor=require(link_in(b.vendor_ref, "Vendor"), "VendorBill.vendor"),
        currency=currency,
        number=b.doc_number,
        bill_date=b.txn_date,
        due_date=b.due_date,
        lines=lines,
        total=opt_money(b.total_amt, currency, "VendorBill.total"),
        balance=opt_money(b.balance, currency, "VendorBill.balance"),
        terms=terms_in(b.sales_term_ref, cfg, "VendorBill.terms"),
        purchase_order=purchase_order,
        memo=b.private_note,
        exchange_rate=b.exchange_rate,
    )


def _bill_tax_out(line: VendorBillLine, config: MappingConfig, path: str) -> qbo.Ref | None:
    if line.tax_code is None and line.taxable is None:
        return None  # purchases may omit tax codes; QBO applies the item/account default
    return line_tax_out(line, None, config, path)


@total("Bill")
def bill_from_canonical(bill: VendorBill, config: MappingConfig | None = None) -> qbo.Bill:
    """Build a QBO bill (``POST /v3/company/{realm}/bill``) from a canonical :class:`VendorBill`.

    Item lines resolve the QBO item like invoice lines; account lines take the account from
    ``expense_accounts[line.account]`` (or a raw QBO id), the product class's expense account, or
    ``default_expense_account``.

    Args:
        bill: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    own_id, token = own_ref(bill, "Bill")
    if not bill.lines:
        fail("Bill.Line", "a QuickBooks bill needs at least one line")
    lines = []
    for i, line in enumerate(bill.lines):
        path = f"Bill.lines[{i}]"
        customer = reference_out(line.customer, "Customer", f"{path}.customer")
        status = "Billable" if line.billable else "NotBillable"
        is_item = (line.product is not None and line.product.id_for(SYSTEM, "Item") is not None) or (
            line.sku is not None and line.sku in cfg.catalog_items
        )
        if is_item:
            item_line = InvoiceLine(amount=line.amount, product=line.product, sku=line.sku)
            qty = line.quantity
            cost = line.unit_cost.amount if line.unit_cost is not None else None
            lines.append(
                qbo.Line(
                    detail_type="ItemBasedExpenseLineDetail",
                    amount=line_amount(qty, cost)
                    if qty is not None and cost is not None
                    else quantize_amount(line.amount.amount),
                    description=line.description,
                    item_based_expense_line_detail=qbo.ItemBasedExpenseLineDetail(
                        item_ref=item_ref_out(item_line, cfg, f"{path}.item"),
                        qty=qty,
                        unit_price=cost,
                        customer_ref=customer,
                        billable_status=status,
                        tax_code_ref=_bill_tax_out(line, cfg, f"{path}.tax_code"),
                    ),
                )
            )
            continue
        account = None
        if line.account:
            account = cfg.expense_accounts.find(line.account) or (
                line.account if line.account.isdigit() else None
            )
        if account is None:
            pc = cfg.product_class(line.product_class)
            account = (
                pc.expense_account if pc is not None and pc.expense_account else cfg.default_expense_account
            )
        if account is None:
            fail(
                f"{path}.account",
                "no QBO expense account for this line",
                value=line.account or line.product_class,
            )
        lines.append(
            qbo.Line(
                detail_type="AccountBasedExpenseLineDetail",
                amount=quantize_amount(line.amount.amount),
                description=line.description,
                account_based_expense_line_detail=qbo.AccountBasedExpenseLineDetail(
                    account_ref=qbo.Ref(value=account),
                    customer_ref=customer,
                    billable_status=status,
                    tax_code_ref=_bill_tax_out(line, cfg, f"{path}.tax_code"),
                ),
            )
        )
    linked = None
    if bill.purchase_order is not None and bill.purchase_order.id_for(SYSTEM, "PurchaseOrder") is not None:
        linked = (
            qbo.LinkedTxn(
                txn_id=bill.purchase_order.id_for(SYSTEM, "PurchaseOrder"), txn_type="PurchaseOrder"
            ),
        )
    if bill.number is not None and len(bill.number) > 21:
        fail("Bill.DocNumber", "QuickBooks document numbers are at most 21 characters", value=bill.number)
    return qbo.Bill(
        id=own_id,
        sync_token=token,
        vendor_ref=reference_out(bill.vendor, "Vendor", "Bill.VendorRef", required=True),
        doc_number=bill.number,
        txn_date=bill.bill_date,
        due_date=bill.due_date,
        private_note=bill.memo,
        currency_ref=qbo.Ref(value=bill.currency),
        exchange_rate=bill.exchange_rate,
        line=tuple(lines),
        sales_term_ref=terms_out(bill.terms, cfg, "Bill.SalesTermRef"),
        linked_txn=linked,
    )
