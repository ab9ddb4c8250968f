"""ConnectWise catalog items <-> canonical products."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import opt_money, require, total
from msplink.mappers.connectwise._agreements import BILLING_CYCLE_NAMES, billing_cycle_from_name
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    config_or_empty,
    custom_fields_in,
    custom_fields_out,
    named_reference,
    own_id,
    reference_name_in,
    updated_in,
    version_in,
)
from msplink.models import Product, ProductKind

__all__ = [
    "UNMAPPED_CATALOG_ITEM_FIELDS",
    "catalog_item_from_canonical",
    "catalog_item_to_product",
]


_PRODUCT_KINDS: Final[dict[str, ProductKind]] = {
    "agreement": ProductKind.AGREEMENT,
    "bundle": ProductKind.BUNDLE,
    "inventory": ProductKind.INVENTORY,
    "noninventory": ProductKind.NON_INVENTORY,
    "service": ProductKind.SERVICE,
}


_CATALOG_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "identifier",
        "description",
        "customer_description",
        "product_class",
        "category",
        "price",
        "cost",
        "taxable_flag",
        "inactive_flag",
        "recurring_flag",
        "recurring_bill_cycle",
        "custom_fields",
    }
)


UNMAPPED_CATALOG_ITEM_FIELDS: Final = unmapped_fields(cw.CatalogItem, _CATALOG_MAPPED)
"""Catalog item attributes not carried."""


@total("Product")
def catalog_item_to_product(
    item: cw.CatalogItem | Mapping[str, Any], config: MappingConfig | None = None
) -> Product:
    """Map a CW catalog item (``GET /procurement/catalog/{id}``) to a canonical :class:`Product`.

    ``identifier`` becomes the SKU, ``description`` the name and ``customerDescription`` the description.

    Args:
        item: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    c = parse_model(cw.CatalogItem, item, "Product")
    currency = cfg.default_currency
    kind = _PRODUCT_KINDS.get(normalise_name(c.product_class or ""), ProductKind.OTHER)
    if c.product_class is None:
        kind = ProductKind.NON_INVENTORY
    cycle = (
        billing_cycle_from_name(c.recurring_bill_cycle.name, path="Product.billing_cycle")
        if (c.recurring_bill_cycle is not None and c.recurring_bill_cycle.name)
        else None
    )
    return Product(
        refs=ref(SYSTEM, "catalog_item", c.id, version_in(c)),
        updated_at=updated_in(c, "Product.updated_at"),
        custom_fields=custom_fields_in(c.custom_fields, "Product", cfg),
        name=require(c.description or c.identifier, "Product.name"),
        sku=c.identifier,
        description=c.customer_description,
        kind=kind,
        product_class=c.product_class,
        category=reference_name_in(c.category, "categories", cfg),
        unit_price=opt_money(c.price, currency, "Product.unit_price"),
        unit_cost=opt_money(c.cost, currency, "Product.unit_cost"),
        taxable=c.taxable_flag,
        active=not c.inactive_flag,
        recurring=bool(c.recurring_flag),
        billing_cycle=cycle,
    )


@total("CatalogItem")
def catalog_item_from_canonical(product: Product, config: MappingConfig | None = None) -> cw.CatalogItem:
    """Build a CW catalog item (``POST /procurement/catalog``) from a canonical :class:`Product`.

    Args:
        product: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    product_class = product.product_class
    if product_class is None and product.kind is not ProductKind.OTHER:
        product_class = product.kind.value
    cycle = product.billing_cycle
    return cw.CatalogItem(
        id=own_id(product, "catalog_item"),
        identifier=require(product.sku or product.name, "CatalogItem.identifier"),
        description=product.name,
        customer_description=product.description,
        product_class=product_class,
        category=named_reference("categories", product.category, cfg),
        price=product.unit_price.amount if product.unit_price is not None else None,
        cost=product.unit_cost.amount if product.unit_cost is not None else None,
        taxable_flag=product.taxable,
        inactive_flag=not product.active,
        recurring_flag=product.recurring,
        recurring_bill_cycle=named_reference("billing_cycles", BILLING_CYCLE_NAMES[cycle], cfg)
        if cycle
        else None,
        custom_fields=custom_fields_out(product.custom_fields, "Product", cfg),
    )
