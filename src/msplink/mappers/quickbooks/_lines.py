"""QuickBooks sales and expense lines <-> canonical lines: line details, tax codes, penny-adjustment lines."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from msplink.mappers._common import unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._money import line_amount, penny_adjustment, quantize_amount
from msplink.mappers._util import fail, money, opt_money, require
from msplink.mappers.quickbooks._shared import SYSTEM, link_in
from msplink.models import (
    Agreement,
    Invoice,
    InvoiceLine,
    LineKind,
    Money,
    VendorBillLine,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "TAX_CALCULATION",
    "UNMAPPED_LINE_DETAIL_FIELDS",
    "UNMAPPED_LINE_FIELDS",
    "detail_type_of",
    "item_ref_out",
    "line_tax_in",
    "line_tax_out",
    "sales_lines_in",
    "sales_lines_out",
    "txn_tax_out",
    "with_penny_line",
]


_US_CODES: Final = frozenset({"TAX", "NON"})


TAX_CALCULATION: Final[dict[str, bool]] = {"TaxInclusive": True, "TaxExcluded": False}


_DETAIL_TYPES: Final[dict[str, str]] = {
    name.replace("_", "").lower(): name
    for name in (
        "SalesItemLineDetail",
        "DescriptionOnly",
        "DiscountLineDetail",
        "SubTotalLineDetail",
        "GroupLineDetail",
        "AccountBasedExpenseLineDetail",
        "ItemBasedExpenseLineDetail",
    )
} | {"descriptionlinedetail": "DescriptionOnly"}


def detail_type_of(value: str | None) -> str | None:
    """Canonical spelling of a line ``DetailType`` (some responses use ``SALES_ITEM_LINE_DETAIL``)."""
    if value is None:
        return None
    return _DETAIL_TYPES.get(value.replace("_", "").lower(), value)


UNMAPPED_LINE_FIELDS: Final = frozenset({"id", "project_ref", "linked_txn"})
"""Line attributes not carried (line ids are QBO's; projects are not modelled)."""


UNMAPPED_LINE_DETAIL_FIELDS: Final = (
    unmapped_fields(
        qbo.SalesItemLineDetail, {"item_ref", "qty", "unit_price", "service_date", "tax_code_ref"}
    )
    | unmapped_fields(
        qbo.AccountBasedExpenseLineDetail, {"account_ref", "customer_ref", "billable_status", "tax_code_ref"}
    )
    | unmapped_fields(
        qbo.ItemBasedExpenseLineDetail,
        {"item_ref", "qty", "unit_price", "customer_ref", "billable_status", "tax_code_ref"},
    )
    | unmapped_fields(qbo.DiscountLineDetail, {"percent_based"})
)
"""Line-detail attributes not carried (classes, item accounts, tax-inclusive amounts, discount
accounts, markup; a description-only line's tax code is dropped too)."""


def line_tax_in(
    reference: qbo.Ref | None, config: MappingConfig, path: str
) -> tuple[str | None, bool | None]:
    """The canonical tax code and taxable flag of a QBO line's ``TaxCodeRef``."""
    if reference is None or not reference.value:
        return None, None
    if reference.value in _US_CODES:
        return None, reference.value == "TAX"
    return config.tax_codes.inverse(reference.value, path=path, table="tax_codes"), None


def line_tax_out(
    line: InvoiceLine | VendorBillLine, document_code: str | None, config: MappingConfig, path: str
) -> qbo.Ref | None:
    """The QBO line ``TaxCodeRef`` for a canonical line (``TAX``/``NON`` in US mode)."""
    code = line.tax_code or document_code
    if config.tax_mode == "us":
        if line.taxable is not None:
            return qbo.Ref(value="TAX" if line.taxable else "NON")
        if code:
            mapped = config.tax_codes.get(code, path=path, table="tax_codes")
            return qbo.Ref(value=mapped if mapped in _US_CODES else "TAX")
        return None
    if not code:
        fail(path, "a tax code is required on every line outside the US (tax_mode = global)")
    return qbo.Ref(value=config.tax_codes.get(code, path=path, table="tax_codes"))


def sales_lines_in(
    lines: Sequence[qbo.Line] | None, currency: str, config: MappingConfig, root: str
) -> tuple[list[InvoiceLine], Decimal | None]:
    """Canonical invoice lines (and the discount total) from QBO sales lines."""
    out: list[InvoiceLine] = []
    subtotal: Decimal | None = None
    for i, line in enumerate(lines or ()):
        path = f"{root}.lines[{i}]"
        detail_type = detail_type_of(line.detail_type)
        if detail_type == "SubTotalLineDetail":
            subtotal = line.amount
            continue
        if detail_type == "SalesItemLineDetail":
            d = line.sales_item_line_detail or qbo.SalesItemLineDetail()
            tax_code, taxable = line_tax_in(d.tax_code_ref, config, f"{path}.tax_code")
            item_id = d.item_ref.value if d.item_ref is not None else None
            out.append(
                InvoiceLine(
                    amount=money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount"),
                    description=line.description,
                    quantity=d.qty,
                    unit_price=opt_money(d.unit_price, currency, f"{path}.unit_price"),
                    product=link_in(d.item_ref, "Item"),
                    sku=config.catalog_items.find_inverse(item_id) if item_id else None,
                    tax_code=tax_code,
                    taxable=taxable,
                    service_date=d.service_date,
                    line_number=line.line_num,
                )
            )
        elif detail_type == "DescriptionOnly":
            d2 = line.description_line_detail or qbo.DescriptionLineDetail()
            out.append(
                InvoiceLine(
                    amount=money(line.amount or 0, currency, f"{path}.amount"),
                    description=line.description,
                    kind=LineKind.DESCRIPTION,
                    service_date=d2.service_date,
                    line_number=line.line_num,
                )
            )
        elif detail_type == "DiscountLineDetail":
            amount = money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount")
            out.append(
                InvoiceLine(
                    amount=-amount,
                    description=line.description,
                    kind=LineKind.DISCOUNT,
                    line_number=line.line_num,
                )
            )
        else:
            fail(f"{path}.DetailType", "unsupported line type", value=detail_type)
    return out, subtotal


def item_ref_out(line: InvoiceLine, config: MappingConfig, path: str) -> qbo.Ref:
    """The QBO ``ItemRef`` of a canonical line: catalog item, product class, else ``default_item``."""
    if line.product is not None:
        item_id = line.product.id_for(SYSTEM, "Item")
        if item_id is not None:
            return qbo.Ref(value=item_id, name=line.product.display)
    return qbo.Ref(value=config.qbo_item_for(sku=line.sku, product_class=line.product_class, path=path))


def sales_lines_out(
    document: Invoice | Agreement, lines: Sequence[InvoiceLine], config: MappingConfig, root: str
) -> list[qbo.Line]:
    """QBO sales lines for canonical invoice lines (amounts per QBO's 6070 rule)."""
    out: list[qbo.Line] = []
    document_code = document.tax_code
    for i, line in enumerate(lines):
        path = f"{root}.lines[{i}]"
        if line.kind is LineKind.DESCRIPTION:
            out.append(
                qbo.Line(
                    detail_type="DescriptionOnly",
                    line_num=line.line_number,
                    description=line.description,
                    description_line_detail=qbo.DescriptionLineDetail(service_date=line.service_date),
                )
            )
            continue
        if line.kind is LineKind.DISCOUNT:
            out.append(
                qbo.Line(
                    detail_type="DiscountLineDetail",
                    line_num=line.line_number,
                    amount=quantize_amount(-line.amount.amount),
                    description=line.description,
                    discount_line_detail=qbo.DiscountLineDetail(percent_based=False),
                )
            )
            continue
        quantity = line.quantity
        price = line.unit_price.amount if line.unit_price is not None else None
        if quantity is not None and price is not None:
            amount = line_amount(quantity, price)
        else:
            amount = quantize_amount(line.amount.amount)
        out.append(
            qbo.Line(
                detail_type="SalesItemLineDetail",
                line_num=line.line_number,
                amount=amount,
                description=line.description,
                sales_item_line_detail=qbo.SalesItemLineDetail(
                    item_ref=item_ref_out(line, config, f"{path}.item"),
                    qty=quantity,
                    unit_price=price,
                    service_date=line.service_date,
                    tax_code_ref=line_tax_out(line, document_code, config, f"{path}.tax_code"),
                ),
            )
        )
    return out


def with_penny_line(out: list[qbo.Line], expected: Money, config: MappingConfig, path: str) -> list[qbo.Line]:
    """The lines plus a penny-adjustment line when rounding left a difference."""
    if config.penny_adjustment_item is None:
        return out
    sales = Decimal(0)
    for line in out:
        if line.detail_type == "SalesItemLineDetail" and line.amount is not None:
            sales += line.amount
        elif line.detail_type == "DiscountLineDetail" and line.amount is not None:
            sales -= line.amount
    adjustment = penny_adjustment(
        Money(sales, expected.currency), expected, tolerance=config.penny_tolerance, path=path
    )
    if adjustment is None:
        return out
    code = "NON" if config.tax_mode == "us" else None
    return [
        *out,
        qbo.Line(
            detail_type="SalesItemLineDetail",
            amount=adjustment.amount,
            description="Rounding adjustment",
            sales_item_line_detail=qbo.SalesItemLineDetail(
                item_ref=qbo.Ref(value=config.penny_adjustment_item),
                qty=Decimal(1),
                unit_price=adjustment.amount,
                tax_code_ref=qbo.Ref(value=code) if code else None,
            ),
        ),
    ]


def txn_tax_out(tax_code: str | None, config: MappingConfig, path: str) -> qbo.TxnTaxDetail | None:
    """The QBO ``TxnTaxDetail`` for a document tax code (None when not applicable)."""
    if not tax_code or config.tax_mode != "us":
        return None
    mapped = config.tax_codes.get(tax_code, path=path, table="tax_codes")
    if mapped in _US_CODES:
        return None
    return qbo.TxnTaxDetail(txn_tax_code_ref=qbo.Ref(value=mapped))
