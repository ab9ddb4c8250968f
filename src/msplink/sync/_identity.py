"""Match rules: is this source record already in the target? (SYNC.md §6)

A flow lists rules in order; the identity map is always asked first (:func:`by_link`), then each
rule looks for target records sharing a *normalised key* with the source record. The first rule
that finds exactly one candidate links it (exact), the first that finds several stops with a
conflict for a person (ambiguous); a rule that finds none hands over to the next. Keys are strict
normalisations, never fuzzy scores, so an exact match is safe to act on (ANCHORS L14).

(``msplink.mappers`` has the look-up-table kind of matching: catalogue items to QBO items and such.)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Final

import attrs

from msplink.errors import ConfigurationError
from msplink.sync._values import get_path

__all__ = [
    "FREE_MAIL_DOMAINS",
    "LEGAL_SUFFIXES",
    "REFS_PREFIX",
    "MatchRule",
    "by_domain",
    "by_email",
    "by_external_id",
    "by_link",
    "by_name",
    "domain_key",
    "email_key",
    "name_key",
    "ref_ids",
]

LEGAL_SUFFIXES: Final = frozenset(
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co",
        "company", "gmbh", "ag", "kg", "ug", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc",
        "pty", "pte", "pc", "pllc", "oy", "ab", "as", "aps", "kk", "sl", "se", "ulc",
    }
)  # fmt: skip
"""Legal-form words dropped from the end of a name before comparing (``Acme, Inc.`` = ``ACME LLC``)."""

FREE_MAIL_DOMAINS: Final = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
        "ymail.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com",
        "gmx.com", "gmx.net", "gmx.de", "mail.com", "zoho.com", "yandex.com", "fastmail.com",
    }
)  # fmt: skip
"""E-mail domains shared by unrelated people: never a company's domain."""

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_DROP = re.compile("[.'`\u2019]")
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)  # bounded: memory stays flat (SYNC.md §1.7)
def name_key(name: str | None) -> str | None:
    """Normalise an organisation name: case, accents kept, punctuation, ``&`` = ``and``, trailing
    legal suffixes (Inc, LLC, Ltd, Corp, GmbH ...), whitespace. ``None`` for an empty name.

    Pure, so memoised (a page's candidates and the target index normalise the same names again).

    >>> name_key("ACME, Inc.") == name_key("Acme LLC") == name_key("  acme ")
    True
    >>> name_key("Smith & Sons Ltd.")
    'smith and sons'
    """
    if not name:
        return None
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    text = _DROP.sub("", text).replace("&", " and ").replace("+", " and ")
    words = _SPACE.sub(" ", _PUNCT.sub(" ", text).replace("_", " ")).strip().split(" ")
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    key = " ".join(w for w in words if w)
    return key or None


def email_key(email: str | None) -> str | None:
    """Normalise an e-mail address (trimmed, case-folded); ``None`` when it is not one."""
    if not email:
        return None
    text = email.strip().casefold()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, at, domain = text.rpartition("@")
    return text if at and local and "." in domain else None


def same_email(a: object, b: object) -> bool:
    """Whether two field values are the same e-mail address: equal, or both addresses whose
    :func:`email_key` (trimmed, case-folded, ``mailto:`` dropped) is equal.

    Mail systems treat addresses case-insensitively in practice, and QuickBooks, ConnectWise and
    Salesforce keep whatever case was typed: ``Billing@acme.example`` on one side and
    ``billing@acme.example`` on the other are one address, not a conflict.

    >>> same_email("Billing@Acme.example", " billing@acme.example"), same_email("a@x.example", "b@x.example")
    (True, False)
    """
    if a == b:
        return True
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    key = email_key(a)
    return key is not None and key == email_key(b)


@functools.lru_cache(maxsize=4096)
def domain_key(value: str | None) -> str | None:
    """The registrable-looking domain of a website or e-mail address (``www.`` and scheme dropped;
    free-mail domains give ``None``).

    >>> domain_key("https://www.Example.com/about"), domain_key("ann@example.com")
    ('example.com', 'example.com')
    """
    if not value:
        return None
    text = value.strip().casefold()
    if "@" in text and "/" not in text:
        email = email_key(text)
        host = email.rpartition("@")[2] if email else ""
    else:
        text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
        host = re.split(r"[/?#:]", text, maxsplit=1)[0]
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or host in FREE_MAIL_DOMAINS:
        return None
    return host


@attrs.frozen
class MatchRule:
    """One way of recognising a source record among target records.

    Build rules with :func:`by_link`, :func:`by_external_id`, :func:`by_email`, :func:`by_name`,
    :func:`by_domain`.

    Attributes:
        kind: ``link``, ``external_id``, ``email``, ``name`` or ``domain``.
        fields: The canonical field path(s) the keys come from.
        on: For ``external_id``: ``target`` (the target's field holds the source id) or ``source``
            (the source's field holds the target id).
    """

    kind: str
    fields: tuple[str, ...] = ()
    on: str = "target"

    @property
    def name(self) -> str:
        """A stable label (``by_email(email)``), used in plans and look-up requests."""
        args = ", ".join(self.fields)
        if self.kind == "external_id" and self.on == "source":
            args += ", on='source'"
        return f"by_{self.kind}({args})"

    @property
    def lookup_kind(self) -> str:
        """The key kind a :class:`~msplink.sync.LookupRequest` carries for this rule."""
        return f"external_id:{self.fields[0]}" if self.kind == "external_id" else self.kind

    def _keys(self, record: object) -> frozenset[str]:
        normalise = _NORMALISERS.get(self.kind, _text)
        keys: set[str | None] = set()
        for field in self.fields:
            if field.startswith(REFS_PREFIX):
                keys.update(ref_ids(record, field[len(REFS_PREFIX) :]))
            else:
                keys.add(normalise(_str(get_path(record, field))))
        return frozenset(k for k in keys if k)

    def source_keys(self, record: object, own_id: str) -> frozenset[str]:
        """The keys a source record is searched by."""
        if self.kind == "external_id" and self.on == "target":
            return frozenset({own_id})
        return self._keys(record)

    def target_keys(self, record: object, own_id: str) -> frozenset[str]:
        """The keys a target record is found by."""
        if self.kind == "external_id" and self.on == "source":
            return frozenset({own_id})
        return self._keys(record)

    def raw_values(self, record: object) -> tuple[str, ...]:
        """The source's raw values behind its keys (for platforms that search raw text)."""
        if self.kind == "external_id":
            return ()
        return tuple(v for f in self.fields if (v := _str(get_path(record, f))))

    def candidates(
        self, record: object, own_id: str, targets: Iterable[tuple[str, object]]
    ) -> tuple[str, ...]:
        """Ids of the target records sharing a key with ``record`` (sorted)."""
        keys = self.source_keys(record, own_id)
        if not keys:
            return ()
        return tuple(sorted(tid for tid, target in targets if keys & self.target_keys(target, tid)))


REFS_PREFIX: Final = "refs."
"""``by_external_id("refs.<system>")``: the record's own refs in ``<system>`` (a Salesforce Account
read with ``CW_Company_Id__c`` carries its ConnectWise company's ref)."""


_NORMALISERS: Final[dict[str, Callable[[str | None], str | None]]] = {
    "email": email_key,
    "name": name_key,
    "domain": domain_key,
}


def ref_ids(record: object, system: str) -> set[str]:
    """The ids of ``record``'s refs in ``system`` (``system`` or ``system.object``)."""
    wanted, _, object_type = system.partition(".")
    refs = getattr(record, "refs", None) or ()
    return {
        ref.id for ref in refs if ref.system == wanted and (not object_type or ref.object_type == object_type)
    }


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def by_link() -> MatchRule:
    """The identity map: a source record msplink already linked is that target record.

    The engine always asks the identity map first; listing ``by_link()`` only makes it explicit.
    """
    return MatchRule("link")


def by_external_id(field: str, *, on: str = "target") -> MatchRule:
    """A field that holds the other system's id (e.g. SF ``CW_Company_Id__c`` -> canonical
    ``custom_fields.cw_company_id``, or the record's refs: ``refs.connectwise``).

    Args:
        field: The canonical field path holding the id; ``refs.<system>`` (or
            ``refs.<system>.<object>``) reads the record's own refs in that system (the Salesforce
            Account mapper turns ``CW_Company_Id__c`` into a ConnectWise ref).
        on: ``target`` when the target's field holds the source id (CW -> SF), ``source`` when the
            source's field holds the target id (SF -> CW).
    """
    if on not in {"target", "source"}:
        raise ConfigurationError(f"by_external_id(on=...) must be 'target' or 'source', got {on!r}")
    return MatchRule("external_id", (field,), on)


def by_email(field: str = "email") -> MatchRule:
    """Equal e-mail addresses (trimmed, case-insensitive)."""
    return MatchRule("email", (field,))


def by_name(field: str = "name") -> MatchRule:
    """Equal names once normalised (:func:`name_key`: case, punctuation, ``&``/``and``, legal
    suffixes, whitespace)."""
    return MatchRule("name", (field,))


def by_domain(fields: Sequence[str] = ("website", "email")) -> MatchRule:
    """Equal web domains, taken from the website and from a non-free-mail e-mail address."""
    return MatchRule("domain", tuple(fields))
