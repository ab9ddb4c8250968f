"""What the business rules need of the company state (``_state.Company`` provides it).

The rule modules are called by the company with itself; they see it through this protocol, so the
imports point one way (``_state`` → ``_rules`` → ``_company``) with no circle.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

__all__ = ["CompanyState"]


class CompanyState(Protocol):
    """The company state as the business rules read and change it."""

    data: dict[str, dict[str, dict[str, Any]]]
    doc_numbers: dict[str, int]
    deposited: dict[tuple[str, str], str]

    @property
    def home_currency(self) -> str:
        """``Preferences.CurrencyPrefs.HomeCurrency``."""

    @property
    def custom_txn_numbers(self) -> bool:
        """``Preferences.SalesFormsPrefs.CustomTxnNumbers``."""

    def today(self) -> date:
        """The company's date today."""

    def stamp(self) -> str:
        """A MetaData timestamp."""

    def next_id(self, entity: str) -> str:
        """The next id of an entity type."""

    def ref_exists(self, entity: str, ref_id: str | None, field: str) -> dict[str, Any]:
        """The referenced entity (active), or a fault."""

    def currency_name(self, code: str) -> str:
        """The currency's display name."""

    def require_currency(self, code: str) -> None:
        """Fault unless the currency is active in the company."""

    def require_multicurrency(self) -> None:
        """Fault unless multicurrency is on."""

    def exchange_rate(self, code: str, as_of: str) -> dict[str, Any]:
        """The rate of ``code`` in home units on ``as_of``."""

    def name_taken(self, entity: str, name: str, exclude: str | None) -> bool:
        """Whether another entity of the type has the name."""

    def display_name_taken(self, name: str, exclude: tuple[str, str] | None) -> bool:
        """Whether another person entity has the display name."""

    def bump(self, obj: dict[str, Any]) -> None:
        """Give ``obj`` a new SyncToken and LastUpdatedTime."""
