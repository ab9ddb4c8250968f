"""QuickBooks items <-> canonical products."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import fail, opt_money, require, total
from msplink.mappers.quickbooks._shared import amount_of, config_or_empty, own_ref, refs_of, updated_in
from msplink.models import (
    Product,
    ProductKind,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "UNMAPPED_ITEM_FIELDS",
    "item_from_canonical",
    "item_to_product",
]


_KINDS_IN: Final[dict[str, ProductKind]] = {
    "Service": ProductKind.SERVICE,
    "NonInventory": ProductKind.NON_INVENTORY,
    "Inventory": ProductKind.INVENTORY,
    "Group": ProductKind.BUNDLE,
    "Bundle": ProductKind.BUNDLE,
}


_KINDS_OUT: Final[dict[ProductKind, str]] = {
    ProductKind.SERVICE: "Service",
    ProductKind.NON_INVENTORY: "NonInventory",
    ProductKind.INVENTORY: "Inventory",
    ProductKind.AGREEMENT: "Service",
    ProductKind.BUNDLE: "Group",
    ProductKind.OTHER: "NonInventory",
}


_ITEM_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "name",
        "type",
        "sku",
        "description",
        "active",
        "unit_price",
        "purchase_cost",
        "taxable",
        "income_account_ref",
        "expense_account_ref",
    }
)


UNMAPPED_ITEM_FIELDS: Final = unmapped_fields(qbo.Item, _ITEM_MAPPED)
"""Item attributes not carried (inventory quantities, asset account, hierarchy)."""


@total("Product")
def item_to_product(item: qbo.Item | Mapping[str, Any], config: MappingConfig | None = None) -> Product:
    """Map a QBO item (``GET /v3/company/{realm}/item/{id}``) to a canonical :class:`Product`.

    The product class is recovered from the income/expense accounts when exactly one configured
    ``product_classes`` entry uses them.

    Args:
        item: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    i = parse_model(qbo.Item, item, "Product")
    currency = cfg.default_currency
    income = i.income_account_ref.value if i.income_account_ref is not None else None
    expense = i.expense_account_ref.value if i.expense_account_ref is not None else None
    classes = [
        name
        for name, pc in cfg.product_classes.items()
        if (income or expense) and pc.income_account == income and pc.expense_account == expense
    ]
    return Product(
        refs=refs_of(i, "Item"),
        updated_at=updated_in(i, "Product.updated_at"),
        name=require(i.name, "Product.name"),
        sku=i.sku,
        description=i.description,
        kind=_KINDS_IN.get(i.type or "", ProductKind.OTHER),
        product_class=classes[0] if len(classes) == 1 else None,
        unit_price=opt_money(i.unit_price, currency, "Product.unit_price"),
        unit_cost=opt_money(i.purchase_cost, currency, "Product.unit_cost"),
        taxable=i.taxable,
        active=i.active is not False,
    )


@total("Item")
def item_from_canonical(product: Product, config: MappingConfig | None = None) -> qbo.Item:
    """Build a QBO item (``POST /v3/company/{realm}/item``) from a canonical :class:`Product`.

    Income and expense accounts come from ``product_classes[product.product_class]``; a Service or
    NonInventory item with no income account is a ``MappingError`` (QBO requires one).

    Args:
        product: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    own_id, token = own_ref(product, "Item")
    item_type = _KINDS_OUT[product.kind]
    pc = cfg.product_class(product.product_class)
    income = pc.income_account if pc is not None else None
    expense = pc.expense_account if pc is not None else None
    if own_id is None and income is None and item_type in {"Service", "NonInventory", "Inventory"}:
        fail("Item.IncomeAccountRef", "no income account for this product class", value=product.product_class)
    name = product.name.replace(":", "-")[:100]
    return qbo.Item(
        id=own_id,
        sync_token=token,
        name=name,
        type=item_type,
        sku=product.sku,
        description=product.description,
        active=product.active,
        unit_price=amount_of(product.unit_price),
        purchase_cost=amount_of(product.unit_cost),
        taxable=product.taxable,
        income_account_ref=qbo.Ref(value=income) if income else None,
        expense_account_ref=qbo.Ref(value=expense) if expense else None,
    )
