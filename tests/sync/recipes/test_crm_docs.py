"""The CRM recipes' docs pages name every field, owner and option the code has, and are in the
navigation (their example scripts run in ``tests/test_examples.py``)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from msplink.sync.recipes import _accounts, _leads, accounts_and_contacts, leads_to_connectwise

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "recipes"


def _options(recipe: object, clients: set[str]) -> set[str]:
    return set(inspect.signature(type(recipe).__call__).parameters) - {"self", "state", "config", *clients}


def _check_page(text: str) -> None:
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        ast.parse(block.replace("await ", ""))


def test_the_accounts_page_documents_fields_owners_and_options() -> None:
    text = (DOCS / "accounts_and_contacts.md").read_text(encoding="utf-8")
    _check_page(text)
    for field in (*_accounts.ACCOUNT_FIELDS, *_accounts.CONTACT_FIELDS):
        assert field.rsplit(".", 1)[-1] in text, field
    for owners in (_accounts.DEFAULT_ACCOUNT_OWNERS, _accounts.DEFAULT_CONTACT_OWNERS):
        for name, owner in owners.items():
            assert f"`{name}`" in text and f"Owner.{owner.name}" in text, name
    for option in _options(accounts_and_contacts, {"sf", "cw"}):
        assert f"`{option}`" in text, option
    for flow in ("sf-accounts-to-cw-companies", "cw-companies-to-sf-accounts", "sf-contacts-to-cw-contacts"):
        assert flow in text
    assert "`CW_Company_Id__c` | Text(50), External ID, Unique" in text


def test_the_leads_page_documents_fields_and_options() -> None:
    text = (DOCS / "leads_to_connectwise.md").read_text(encoding="utf-8")
    _check_page(text)
    for option in _options(leads_to_connectwise, {"sf", "cw"}):
        assert f"`{option}`" in text, option
    for flow in (_leads.COMPANIES, _leads.CONTACTS, _leads.CONVERTED, _leads.WRITE_BACK):
        assert f"`{flow}`" in text
    for name in ("CW_Contact_Id__c", "CW_Company_Id__c", "CANNOT_UPDATE_CONVERTED_LEAD", "Lead.Converted"):
        assert name in text


def test_the_pages_are_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "recipes/accounts_and_contacts.md" in nav and "recipes/leads_to_connectwise.md" in nav
