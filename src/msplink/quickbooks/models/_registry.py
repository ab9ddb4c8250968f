"""Which model class holds which QBO entity name (``"Invoice"`` -> :class:`Invoice`)."""

from __future__ import annotations

from collections.abc import Mapping

from msplink.quickbooks.models._base import Entity
from msplink.quickbooks.models._company import CompanyInfo, Preferences
from msplink.quickbooks.models._lists import Account, Class, Department, Item, TaxCode, TaxRate, Term
from msplink.quickbooks.models._names import Customer, Employee, Vendor
from msplink.quickbooks.models._transactions import (
    Bill,
    Estimate,
    Invoice,
    JournalEntry,
    Payment,
    PurchaseOrder,
    RecurringTransaction,
    TimeActivity,
)

__all__ = ["ENTITIES", "entity_class"]

ENTITIES: tuple[type[Entity], ...] = (
    Customer,
    Vendor,
    Employee,
    Item,
    Account,
    Invoice,
    Payment,
    TimeActivity,
    Bill,
    PurchaseOrder,
    JournalEntry,
    RecurringTransaction,
    Estimate,
    Term,
    TaxCode,
    TaxRate,
    Class,
    Department,
    CompanyInfo,
    Preferences,
)
"""Every modelled entity."""

_BY_NAME: Mapping[str, type[Entity]] = {cls.entity_name: cls for cls in ENTITIES}


def entity_class(name: str) -> type[Entity] | None:
    """The model class of a QBO entity name (``"Invoice"`` -> :class:`Invoice`), or ``None``."""
    return _BY_NAME.get(name)
