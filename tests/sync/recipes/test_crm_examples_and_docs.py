"""The CRM recipes' example scripts run against the seeded world and print what their docs say;
their docs pages name every field, owner and option the code has, and are in the navigation."""

from __future__ import annotations

import ast
import inspect
import re
import runpy
from pathlib import Path

import pytest

from msplink.sync.recipes import _accounts, _leads, accounts_and_contacts, leads_to_connectwise

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "recipes"


def _run(name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    for key in ("MSPLINK_SF_CLIENT_ID", "MSPLINK_CW_SITE"):
        monkeypatch.delenv(key, raising=False)
    runpy.run_path(str(ROOT / "examples" / f"{name}.py"), run_name="__main__")
    return capsys.readouterr().out


def test_the_accounts_example_syncs_twice_and_lists_what_waits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run("accounts_and_contacts", monkeypatch, capsys)
    assert "first sync: 113 writes" in out
    assert "second sync after an edit on each side: 2 writes" in out
    assert "CW market 'Manufacturing', SF phone '+1 555 010 0001'" in out
    assert out.count("  match ") == 3 and out.count("  failed ") == 4


def test_the_leads_example_brings_a_newly_qualified_lead_over_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run("leads_to_connectwise", monkeypatch, capsys)
    assert "first run: 12 writes" in out
    assert "after qualifying Tara Lee of Redwood Plumbing Prospect 6: 3 writes" in out
    assert re.search(r"CW contact \d+: Tara Lee at Redwood Plumbing Prospect 6 \(\d+\)", out)
    assert out.rstrip().endswith("a rerun writes 0")


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
