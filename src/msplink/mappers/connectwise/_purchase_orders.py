"""ConnectWise purchase orders <-> canonical purchase orders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import at, money, opt_decimal, opt_money, require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    config_or_empty,
    currency_in,
    currency_out,
    custom_fields_in,
    custom_fields_out,
    date_in,
    datetime_out,
    id_out,
    link_in,
    named_reference,
    own_id,
    reference_name_in,
    reference_out,
    updated_in,
    version_in,
)
from msplink.models import Money, PurchaseOrder, PurchaseOrderLine

__all__ = [
    "UNMAPPED_PURCHASE_ORDER_FIELDS",
    "UNMAPPED_PURCHASE_ORDER_LINE_FIELDS",
    "purchase_order_from_canonical",
    "purchase_order_to_purchase_order",
]


_PO_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "po_number",
        "po_date",
        "status",
        "closed_flag",
        "vendor_company",
        "customer_company",
        "currency",
        "sub_total",
        "sales_tax",
        "freight_cost",
        "total",
        "terms",
        "vendor_invoice_number",
        "vendor_invoice_date",
        "internal_notes",
        "custom_fields",
    }
)


UNMAPPED_PURCHASE_ORDER_FIELDS: Final = unmapped_fields(cw.PurchaseOrder, _PO_MAPPED)
"""Purchase order attributes not carried (shipping, warehouse and customer address details)."""


_PO_LINE_MAPPED: Final = frozenset(
    {
        "id",
        "last_updated",
        "line_number",
        "product",
        "description",
        "quantity",
        "unit_cost",
        "received_quantity",
    }
)


UNMAPPED_PURCHASE_ORDER_LINE_FIELDS: Final = unmapped_fields(cw.PurchaseOrderLineItem, _PO_LINE_MAPPED)
"""Purchase order line attributes not carried (shipping and receiving details)."""


@total("PurchaseOrder")
def purchase_order_to_purchase_order(
    order: cw.PurchaseOrder | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    lines: Sequence[cw.PurchaseOrderLineItem | Mapping[str, Any]] = (),
) -> PurchaseOrder:
    """Map a CW purchase order (``GET /procurement/purchaseorders/{id}`` + ``/lineitems``) to canonical.

    Args:
        order: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        lines: Detail lines (models or payloads) to use instead of derived ones.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    po = parse_model(cw.PurchaseOrder, order, "PurchaseOrder")
    currency = currency_in(po.currency, cfg, "PurchaseOrder.currency")
    mapped = []
    for i, raw_line in enumerate(lines):
        path = f"PurchaseOrder.lines[{i}]"
        line = parse_model(cw.PurchaseOrderLineItem, raw_line, path)
        qty = opt_decimal(line.quantity, f"{path}.quantity") or Decimal(0)
        cost = money(line.unit_cost if line.unit_cost is not None else 0, currency, f"{path}.unit_cost")
        mapped.append(
            PurchaseOrderLine(
                amount=cost * qty,
                description=line.description,
                quantity=qty,
                unit_cost=cost,
                product=link_in(line.product, "catalog_item"),
                sku=line.product.identifier if line.product is not None else None,
                received_quantity=line.received_quantity,
                line_number=line.line_number,
            )
        )
    return PurchaseOrder(
        refs=ref(SYSTEM, "purchase_order", po.id, version_in(po)),
        updated_at=updated_in(po, "PurchaseOrder.updated_at"),
        custom_fields=custom_fields_in(po.custom_fields, "PurchaseOrder", cfg),
        vendor=require(link_in(po.vendor_company, "company"), "PurchaseOrder.vendor"),
        currency=currency,
        number=po.po_number,
        order_date=date_in(po.po_date),
        status=reference_name_in(po.status, "purchase_order_statuses", cfg),
        closed=bool(po.closed_flag),
        customer=link_in(po.customer_company, "company"),
        lines=mapped,
        subtotal=opt_money(po.sub_total, currency, "PurchaseOrder.subtotal"),
        tax_total=opt_money(po.sales_tax, currency, "PurchaseOrder.tax_total"),
        freight=opt_money(po.freight_cost, currency, "PurchaseOrder.freight"),
        total=opt_money(po.total, currency, "PurchaseOrder.total"),
        terms=reference_name_in(po.terms, "billing_terms", cfg),
        vendor_invoice_number=po.vendor_invoice_number,
        vendor_invoice_date=date_in(po.vendor_invoice_date),
        memo=po.internal_notes,
    )


@total("PurchaseOrder")
def purchase_order_from_canonical(
    order: PurchaseOrder, config: MappingConfig | None = None
) -> tuple[cw.PurchaseOrder, tuple[cw.PurchaseOrderLineItem, ...]]:
    """Build a CW purchase order and its line items (``POST /procurement/purchaseorders`` + ``/lineitems``).

    Args:
        order: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)

    def amount(value: Money | None) -> Decimal | None:
        return value.amount if value is not None else None

    header = cw.PurchaseOrder(
        id=own_id(order, "purchase_order"),
        po_number=order.number,
        po_date=datetime_out(order.order_date),
        status=named_reference("purchase_order_statuses", order.status, cfg),
        closed_flag=order.closed,
        vendor_company=reference_out(order.vendor, "company", "PurchaseOrder.vendorCompany", required=True),
        customer_company=reference_out(order.customer, "company", "PurchaseOrder.customerCompany"),
        currency=currency_out(order.currency, cfg),
        sub_total=amount(order.subtotal),
        sales_tax=amount(order.tax_total),
        freight_cost=amount(order.freight),
        total=amount(order.total),
        terms=named_reference("billing_terms", order.terms, cfg),
        vendor_invoice_number=order.vendor_invoice_number,
        vendor_invoice_date=datetime_out(order.vendor_invoice_date),
        internal_notes=order.memo,
        custom_fields=custom_fields_out(order.custom_fields, "PurchaseOrder", cfg),
    )
    lines = []
    for i, line in enumerate(order.lines):
        product = None
        if line.product is not None or line.sku:
            product_id = None
            if line.product is not None and line.product.id_for(SYSTEM, "catalog_item") is not None:
                product_id = id_out(line.product, "catalog_item", f"PurchaseOrder.lines[{i}].product")
            product = cw.Reference(id=product_id, identifier=line.sku)
        received = None
        if line.received_quantity is not None:
            with at(f"PurchaseOrder.lines[{i}].received_quantity"):
                received = int(line.received_quantity)
        lines.append(
            cw.PurchaseOrderLineItem(
                line_number=line.line_number if line.line_number is not None else i + 1,
                product=product,
                description=line.description or "",
                quantity=line.quantity,
                unit_cost=line.unit_cost.amount if line.unit_cost is not None else None,
                received_quantity=received,
            )
        )
    return header, tuple(lines)
