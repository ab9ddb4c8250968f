"""``MappingConfig``: the lookup tables mappers use (items, accounts, tax codes, terms, picklists, owners).

Loadable from a dict or a TOML file::

    default_currency = "USD"
    tax_mode = "us"                       # "us": QBO lines take TAX/NON; "global": real tax code ids
    default_item = "1"                    # QBO item used when no catalog/product-class mapping applies
    penny_adjustment_item = "99"          # QBO item for rounding-difference lines (optional)

    [catalog_items]                       # CW catalog identifier -> QBO Item id
    "MS-DEV" = "21"
    [product_classes.Service]             # CW product class -> QBO item and accounts
    item = "2"
    income_account = "79"
    expense_account = "80"
    [tax_codes]                           # CW tax code identifier -> QBO tax code ("TAX"/"NON" in the US)
    "AUS" = "TAX"
    [terms]                               # CW billing terms name <-> QBO Term id
    "Net 30 days" = "3"
    [case_statuses]                       # SF Case Status <-> CW ticket status
    map = { "New" = "New", "Working" = "In Progress", "Escalated" = "In Progress" }
    reverse = { "In Progress" = "Working" }   # CW -> SF where several SF values share one CW value
    [[custom_fields]]
    record = "Customer"
    name = "sla"
    connectwise = "SLA"
    salesforce = "SLA__c"

Every table is a :class:`ValueMap` (left -> right, with an inverse). A missing entry raises
:class:`~msplink.errors.MappingError` naming the field path and the value.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs

from msplink.errors import ConfigurationError, MappingError
from msplink.models import Money, to_currency, to_decimal

__all__ = [
    "VALUE_MAP_TABLES",
    "CustomFieldMapping",
    "MappingConfig",
    "ProductClassMapping",
    "TaxMode",
    "ValueMap",
    "normalise_name",
]

TaxMode = Literal["us", "global"]

VALUE_MAP_TABLES: Final = (
    "catalog_items",
    "tax_codes",
    "terms",
    "opportunity_stages",
    "case_statuses",
    "case_priorities",
    "owners",
    "employees",
    "work_types",
    "expense_accounts",
    "industries",
    "account_types",
    "account_ratings",
    "lead_sources",
)
"""The names of the :class:`ValueMap` tables of a :class:`MappingConfig`, and what they map:

* ``catalog_items``: CW catalog identifier -> QBO Item id
* ``tax_codes``: CW tax code identifier -> QBO TaxCode (``TAX``/``NON`` in US companies, ids elsewhere)
* ``terms``: CW billing terms name -> QBO Term id
* ``opportunity_stages``: SF StageName -> CW opportunity stage
* ``case_statuses``: SF Case Status -> CW ticket status
* ``case_priorities``: SF Case Priority -> CW ticket priority
* ``owners``: SF User id -> CW member identifier
* ``employees``: CW member identifier -> QBO Employee id (TimeActivity)
* ``work_types``: CW work type name -> QBO service Item id (TimeActivity, time invoice lines)
* ``expense_accounts``: canonical expense-account key -> QBO Account id (bill account lines)
* ``industries``: SF Industry -> CW company market (picklist; empty: the names pass unchanged)
* ``account_types``: SF Account Type -> CW company type (picklist; empty: unchanged)
* ``account_ratings``: SF Account Rating -> CW company status (empty: CW statuses are not read as ratings)
* ``lead_sources``: SF Lead Source / Account Source -> CW lead source (picklist; empty: unchanged)
"""


def normalise_name(value: str) -> str:
    """Normalise a name for exact matching: Unicode NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def _str_map(value: object, key: str) -> Mapping[str, str]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"mapping config: {key} must be a table of strings, got {type(value).__name__}"
        )
    out: dict[str, str] = {}
    for k, v in value.items():
        if not isinstance(k, str) or not k:
            raise ConfigurationError(f"mapping config: {key} has a non-string or empty key {k!r}")
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise ConfigurationError(f"mapping config: {key}.{k} must be a string, got {type(v).__name__}")
        out[k] = str(v)
    return MappingProxyType(out)


def _forward_map(value: object) -> Mapping[str, str]:
    return _str_map(value, "forward")


def _reverse_map(value: object) -> Mapping[str, str]:
    return _str_map(value, "reverse")


def _index(table: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """Normalised key -> the values of every key that normalises to it."""
    index: dict[str, set[str]] = {}
    for key, value in table.items():
        index.setdefault(normalise_name(key), set()).add(value)
    return {k: frozenset(v) for k, v in index.items()}


def _inverse_index(table: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """Normalised value -> every key mapping to it."""
    index: dict[str, set[str]] = {}
    for key, value in table.items():
        index.setdefault(normalise_name(value), set()).add(key)
    return {k: frozenset(v) for k, v in index.items()}


def _lookup(table: Mapping[str, str], index: Mapping[str, frozenset[str]], value: str) -> str | None:
    if value in table:
        return table[value]
    hits = index.get(normalise_name(value), frozenset())
    return next(iter(hits)) if len(hits) == 1 else None


@attrs.frozen(kw_only=True)
class ValueMap:
    """A two-way lookup table: ``forward`` maps left values to right values.

    Lookups try the exact key first, then the normalised key (:func:`normalise_name`). The inverse
    is derived from ``forward``; where several left values share one right value, ``reverse``
    says which one wins (otherwise the inverse lookup is ambiguous and raises).

    Attributes:
        forward: left -> right.
        reverse: right -> left overrides for the inverse direction.
        default: Right value used when a left value is missing (None: raise).
        reverse_default: Left value used when a right value is missing (None: raise).
    """

    forward: Mapping[str, str] = attrs.field(factory=dict, converter=_forward_map, hash=False)
    reverse: Mapping[str, str] = attrs.field(factory=dict, converter=_reverse_map, hash=False)
    default: str | None = None
    reverse_default: str | None = None
    # normalised indexes, built once (lookups stay O(1) on big catalog tables)
    _forward_index: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _reverse_index: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _inverse_index: Mapping[str, frozenset[str]] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_forward_index", _index(self.forward))
        object.__setattr__(self, "_reverse_index", _index(self.reverse))
        object.__setattr__(self, "_inverse_index", _inverse_index(self.forward))

    def __bool__(self) -> bool:
        return bool(self.forward or self.reverse)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and _lookup(self.forward, self._forward_index, value) is not None

    def find(self, value: str) -> str | None:
        """Return the right value for ``value`` (or the default), None when unmapped."""
        hit = _lookup(self.forward, self._forward_index, value)
        return hit if hit is not None else self.default

    def candidates(self, value: str) -> tuple[str, ...]:
        """Every left value whose right value normalises like ``value`` (sorted)."""
        return tuple(sorted(self._inverse_index.get(normalise_name(value), frozenset())))

    def find_inverse(self, value: str) -> str | None:
        """Return the left value for ``value`` (override, unique inverse, or default), None otherwise."""
        hit = _lookup(self.reverse, self._reverse_index, value)
        if hit is not None:
            return hit
        lefts = self.candidates(value)
        if len(lefts) == 1:
            return lefts[0]
        return self.reverse_default

    def get(self, value: str, *, path: str, table: str = "") -> str:
        """Return the right value for ``value``.

        Raises:
            MappingError: ``value`` is not mapped and there is no default.
        """
        hit = self.find(value)
        if hit is None:
            raise MappingError(path, f"no mapping in {table or 'table'} for this value", value=value)
        return hit

    def inverse(self, value: str, *, path: str, table: str = "") -> str:
        """Return the left value for the right value ``value``.

        Raises:
            MappingError: Unmapped, or several left values map to it and ``reverse`` does not choose.
        """
        hit = self.find_inverse(value)
        if hit is None:
            lefts = list(self.candidates(value))
            reason = (
                f"ambiguous reverse mapping in {table or 'table'} (candidates {lefts}); add a reverse entry"
                if len(lefts) > 1
                else f"no reverse mapping in {table or 'table'} for this value"
            )
            raise MappingError(path, reason, value=value)
        return hit

    def merged(self, entries: Mapping[str, str]) -> ValueMap:
        """Return a copy with ``entries`` added (existing entries win)."""
        return attrs.evolve(self, forward={**entries, **self.forward})

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the dict/TOML form :meth:`MappingConfig.from_dict` reads."""
        if not self.reverse and self.default is None and self.reverse_default is None:
            return dict(self.forward)
        out: dict[str, Any] = {"map": dict(self.forward)}
        if self.reverse:
            out["reverse"] = dict(self.reverse)
        if self.default is not None:
            out["default"] = self.default
        if self.reverse_default is not None:
            out["reverse_default"] = self.reverse_default
        return out

    @classmethod
    def from_value(cls, value: object, key: str) -> ValueMap:
        """Build from a plain table or from ``{map, reverse, default, reverse_default}``.

        Raises:
            ConfigurationError: The value has the wrong shape.
        """
        if value is None:
            return cls()
        if isinstance(value, ValueMap):
            return value
        if not isinstance(value, Mapping):
            raise ConfigurationError(f"mapping config: {key} must be a table, got {type(value).__name__}")
        if "map" in value and isinstance(value["map"], Mapping):
            extra = set(value) - {"map", "reverse", "default", "reverse_default"}
            if extra:
                raise ConfigurationError(f"mapping config: {key} has unknown keys {sorted(extra)}")
            return cls(
                forward=_str_map(value["map"], f"{key}.map"),
                reverse=_str_map(value.get("reverse"), f"{key}.reverse"),
                default=_opt_str(value.get("default"), f"{key}.default"),
                reverse_default=_opt_str(value.get("reverse_default"), f"{key}.reverse_default"),
            )
        return cls(forward=_str_map(value, key))


def _opt_str(value: object, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ConfigurationError(f"mapping config: {key} must be a string, got {type(value).__name__}")
    return str(value)


@attrs.frozen(kw_only=True)
class ProductClassMapping:
    """Where a CW product class lands in QuickBooks.

    Attributes:
        item: QBO Item id used for lines of this class with no catalog-item mapping.
        income_account: QBO income Account id (items created from this class).
        expense_account: QBO expense/COGS Account id (bills, items).
    """

    item: str | None = None
    income_account: str | None = None
    expense_account: str | None = None


@attrs.frozen(kw_only=True)
class CustomFieldMapping:
    """One custom field carried across systems under a canonical name.

    Attributes:
        record: The canonical record type (``Customer``, ``Ticket`` ...).
        name: The key in the record's ``custom_fields``.
        connectwise: CW custom field caption.
        quickbooks: QBO custom field ``Name`` (legacy string custom fields).
        salesforce: SF field API name (``SLA__c``).
    """

    record: str
    name: str
    connectwise: str | None = None
    quickbooks: str | None = None
    salesforce: str | None = None

    def field_for(self, system: str) -> str | None:
        """The vendor field name in ``system`` (``connectwise``, ``quickbooks`` or ``salesforce``)."""
        value = getattr(self, system, None)
        return value if isinstance(value, str) else None


def _to_value_map(value: object) -> ValueMap:
    return ValueMap.from_value(value, "table")


def _value_map_field() -> Any:
    return attrs.field(factory=ValueMap, converter=_to_value_map)


def _freeze_classes(value: Mapping[str, ProductClassMapping]) -> Mapping[str, ProductClassMapping]:
    return MappingProxyType(dict(value))


def _freeze_id_tables(value: Mapping[str, ValueMap]) -> Mapping[str, ValueMap]:
    return MappingProxyType(dict(value))


def _opt_decimal(value: object) -> Decimal:
    return to_decimal(value)


_TOP_KEYS: Final = frozenset(
    {
        *VALUE_MAP_TABLES,
        "default_currency",
        "tax_mode",
        "default_item",
        "default_expense_account",
        "penny_adjustment_item",
        "penny_tolerance",
        "labour_expense_account",
        "labour_liability_account",
        "product_classes",
        "custom_fields",
        "connectwise_ids",
        "quickbooks_ids",
    }
)


@attrs.frozen(kw_only=True)
class MappingConfig:
    """Every lookup a mapper needs, passed in explicitly (mappers never call a client).

    Attributes:
        default_currency: Currency used when a vendor record does not say (ISO 4217).
        tax_mode: ``us`` (QBO line tax codes are ``TAX``/``NON``) or ``global`` (real ids per line).
        default_item: QBO Item id for lines no catalog-item or product-class mapping covers.
        default_expense_account: QBO Account id for bill lines no other mapping covers.
        penny_adjustment_item: QBO Item id for a rounding-difference line; None: no such lines.
        penny_tolerance: Largest difference a penny line may absorb (default 0.05).
        labour_expense_account: QBO Account id debited with labour cost (time -> journal entry).
        labour_liability_account: QBO Account id credited with labour cost.
        catalog_items: CW catalog identifier -> QBO Item id.
        product_classes: CW product class -> :class:`ProductClassMapping`.
        tax_codes: CW tax code identifier -> QBO tax code.
        terms: CW billing terms name -> QBO Term id.
        opportunity_stages: SF StageName -> CW stage.
        case_statuses: SF Case Status -> CW ticket status.
        case_priorities: SF Case Priority -> CW ticket priority.
        owners: SF User id -> CW member identifier.
        employees: CW member identifier -> QBO Employee id.
        work_types: CW work type -> QBO service Item id.
        expense_accounts: canonical expense-account key -> QBO Account id.
        industries: SF Industry -> CW company market (empty: names pass unchanged).
        account_types: SF Account Type -> CW company type (empty: names pass unchanged).
        account_ratings: SF Account Rating -> CW company status (empty: CW statuses are not
            read as ratings, SF ratings pass unchanged).
        lead_sources: SF Lead Source / Account Source -> CW lead source (empty: unchanged).
        custom_fields: Custom fields carried across systems.
        connectwise_ids: Per CW reference kind (``billing_terms``, ``tax_codes``, ``billing_cycles``,
            ``ticket_statuses``, ``priorities``, ``stages`` ...) the record id of each name, so
            canonical names become ``{"id": ..., "name": ...}`` references on CW writes.
        quickbooks_ids: Per QBO kind (``payment_methods``, ``custom_fields`` -> DefinitionId,
            ``deposit_accounts``) the id of each name.
    """

    default_currency: str = attrs.field(default="USD", converter=to_currency)
    tax_mode: TaxMode = attrs.field(default="us", validator=attrs.validators.in_(("us", "global")))
    default_item: str | None = None
    default_expense_account: str | None = None
    penny_adjustment_item: str | None = None
    penny_tolerance: Decimal = attrs.field(default=Decimal("0.05"), converter=_opt_decimal)
    labour_expense_account: str | None = None
    labour_liability_account: str | None = None
    catalog_items: ValueMap = _value_map_field()
    product_classes: Mapping[str, ProductClassMapping] = attrs.field(
        factory=dict, converter=_freeze_classes, hash=False
    )
    tax_codes: ValueMap = _value_map_field()
    terms: ValueMap = _value_map_field()
    opportunity_stages: ValueMap = _value_map_field()
    case_statuses: ValueMap = _value_map_field()
    case_priorities: ValueMap = _value_map_field()
    owners: ValueMap = _value_map_field()
    employees: ValueMap = _value_map_field()
    work_types: ValueMap = _value_map_field()
    expense_accounts: ValueMap = _value_map_field()
    industries: ValueMap = _value_map_field()
    account_types: ValueMap = _value_map_field()
    account_ratings: ValueMap = _value_map_field()
    lead_sources: ValueMap = _value_map_field()
    custom_fields: tuple[CustomFieldMapping, ...] = attrs.field(default=(), converter=tuple)
    connectwise_ids: Mapping[str, ValueMap] = attrs.field(
        factory=dict, converter=_freeze_id_tables, hash=False
    )
    quickbooks_ids: Mapping[str, ValueMap] = attrs.field(
        factory=dict, converter=_freeze_id_tables, hash=False
    )

    # ------------------------------------------------------------------------------------ loading

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MappingConfig:
        """Build a config from a dict shaped like the TOML file (see the module docstring).

        Raises:
            ConfigurationError: Unknown keys or values of the wrong type (the message names the key).
        """
        if not isinstance(data, Mapping):
            raise ConfigurationError(f"mapping config must be a table, got {type(data).__name__}")
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise ConfigurationError(f"mapping config: unknown keys {sorted(unknown)}")
        kwargs: dict[str, Any] = {}
        for key in ("default_item", "default_expense_account", "penny_adjustment_item"):
            kwargs[key] = _opt_str(data.get(key), key)
        for key in ("labour_expense_account", "labour_liability_account"):
            kwargs[key] = _opt_str(data.get(key), key)
        for key in VALUE_MAP_TABLES:
            kwargs[key] = ValueMap.from_value(data.get(key), key)
        kwargs["product_classes"] = _product_classes(data.get("product_classes"))
        kwargs["custom_fields"] = _custom_fields(data.get("custom_fields"))
        kwargs["connectwise_ids"] = _id_tables(data.get("connectwise_ids"), "connectwise_ids")
        kwargs["quickbooks_ids"] = _id_tables(data.get("quickbooks_ids"), "quickbooks_ids")
        try:
            if "default_currency" in data:
                kwargs["default_currency"] = data["default_currency"]
            if "tax_mode" in data:
                kwargs["tax_mode"] = data["tax_mode"]
            if "penny_tolerance" in data:
                tol = data["penny_tolerance"]
                kwargs["penny_tolerance"] = str(tol) if isinstance(tol, float) else tol
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"mapping config: {exc}") from exc

    @classmethod
    def from_toml(cls, path: str | Path) -> MappingConfig:
        """Load a config from a TOML file (``tomllib`` on 3.11+, else ``tomli`` when installed).

        Raises:
            ConfigurationError: No TOML parser is available, the file is unreadable or invalid.
        """
        loads = _toml_loads()
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"mapping config: cannot read {path}: {exc.strerror}") from exc
        try:
            data = loads(text)
        except ValueError as exc:  # tomllib.TOMLDecodeError subclasses ValueError
            raise ConfigurationError(f"mapping config: invalid TOML in {path}: {exc}") from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Serialise back to the dict form :meth:`from_dict` reads (empty tables left out)."""
        out: dict[str, Any] = {"default_currency": self.default_currency, "tax_mode": self.tax_mode}
        for key in ("default_item", "default_expense_account", "penny_adjustment_item"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        for key in ("labour_expense_account", "labour_liability_account"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["penny_tolerance"] = str(self.penny_tolerance)
        for key in VALUE_MAP_TABLES:
            table: ValueMap = getattr(self, key)
            if table:
                out[key] = table.to_dict()
        if self.product_classes:
            out["product_classes"] = {
                name: {k: v for k, v in attrs.asdict(pc).items() if v is not None}
                for name, pc in self.product_classes.items()
            }
        for key in ("connectwise_ids", "quickbooks_ids"):
            tables: Mapping[str, ValueMap] = getattr(self, key)
            if tables:
                out[key] = {k: v.to_dict() for k, v in tables.items() if v}
        if self.custom_fields:
            out["custom_fields"] = [
                {k: v for k, v in attrs.asdict(cf).items() if v is not None} for cf in self.custom_fields
            ]
        return out

    # ------------------------------------------------------------------------------------ helpers

    def table(self, name: str) -> ValueMap:
        """Return the :class:`ValueMap` called ``name``.

        Raises:
            ConfigurationError: No such table.
        """
        if name not in VALUE_MAP_TABLES:
            raise ConfigurationError(
                f"mapping config: no table {name!r} (tables: {', '.join(VALUE_MAP_TABLES)})"
            )
        value: ValueMap = getattr(self, name)
        return value

    def with_entries(self, name: str, entries: Mapping[str, str]) -> MappingConfig:
        """Return a copy whose table ``name`` also holds ``entries`` (existing entries win)."""
        changes: dict[str, Any] = {name: self.table(name).merged(entries)}
        return attrs.evolve(self, **changes)

    def money(self, amount: object, currency: str | None = None) -> Money:
        """Build :class:`Money` in ``currency`` or the default currency."""
        return Money(to_decimal(amount), currency or self.default_currency)

    def custom_fields_for(self, record: str, system: str) -> tuple[tuple[str, str], ...]:
        """``(canonical name, vendor field)`` pairs configured for ``record`` in ``system``."""
        pairs = []
        for cf in self.custom_fields:
            field_name = cf.field_for(system)
            if cf.record == record and field_name:
                pairs.append((cf.name, field_name))
        return tuple(pairs)

    def cw_id(self, kind: str, name: str | None) -> int | None:
        """The CW record id of ``name`` in the ``connectwise_ids`` table ``kind`` (None when unknown)."""
        table = self.connectwise_ids.get(kind)
        if table is None or not name:
            return None
        hit = table.find(name)
        if hit is None:
            return None
        try:
            return int(hit)
        except ValueError:
            return None

    def qbo_id(self, kind: str, name: str | None) -> str | None:
        """The QBO id of ``name`` in the ``quickbooks_ids`` table ``kind`` (None when unknown)."""
        table = self.quickbooks_ids.get(kind)
        if table is None or not name:
            return None
        return table.find(name)

    def qbo_name(self, kind: str, id: str | None) -> str | None:
        """The name whose QBO id is ``id`` in the ``quickbooks_ids`` table ``kind`` (None when unknown)."""
        table = self.quickbooks_ids.get(kind)
        if table is None or not id:
            return None
        return table.find_inverse(id)

    def product_class(self, name: str | None) -> ProductClassMapping | None:
        """The mapping of a CW product class (exact, then normalised name), if configured."""
        if name is None:
            return None
        if name in self.product_classes:
            return self.product_classes[name]
        wanted = normalise_name(name)
        for key, value in self.product_classes.items():
            if normalise_name(key) == wanted:
                return value
        return None

    def qbo_item_for(self, *, sku: str | None, product_class: str | None, path: str) -> str:
        """Resolve the QBO Item id of a line: catalog item, then product class, then ``default_item``.

        Raises:
            MappingError: None of the three applies.
        """
        if sku:
            hit = self.catalog_items.find(sku)
            if hit is not None:
                return hit
        pc = self.product_class(product_class)
        if pc is not None and pc.item:
            return pc.item
        if self.default_item:
            return self.default_item
        value = sku if sku else product_class
        raise MappingError(
            path, "no QBO item for this catalog item / product class and no default_item", value=value
        )


def _id_tables(value: object, key: str) -> dict[str, ValueMap]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"mapping config: {key} must be a table of tables")
    return {str(kind): ValueMap.from_value(table, f"{key}.{kind}") for kind, table in value.items()}


def _product_classes(value: object) -> dict[str, ProductClassMapping]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigurationError("mapping config: product_classes must be a table of tables")
    out: dict[str, ProductClassMapping] = {}
    for name, spec in value.items():
        if isinstance(spec, ProductClassMapping):
            out[str(name)] = spec
            continue
        if not isinstance(spec, Mapping):
            raise ConfigurationError(f"mapping config: product_classes.{name} must be a table")
        extra = set(spec) - {"item", "income_account", "expense_account"}
        if extra:
            raise ConfigurationError(
                f"mapping config: product_classes.{name} has unknown keys {sorted(extra)}"
            )
        out[str(name)] = ProductClassMapping(
            item=_opt_str(spec.get("item"), f"product_classes.{name}.item"),
            income_account=_opt_str(spec.get("income_account"), f"product_classes.{name}.income_account"),
            expense_account=_opt_str(spec.get("expense_account"), f"product_classes.{name}.expense_account"),
        )
    return out


def _custom_fields(value: object) -> tuple[CustomFieldMapping, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ConfigurationError("mapping config: custom_fields must be an array of tables")
    out = []
    for i, spec in enumerate(value):
        if isinstance(spec, CustomFieldMapping):
            out.append(spec)
            continue
        if not isinstance(spec, Mapping):
            raise ConfigurationError(f"mapping config: custom_fields[{i}] must be a table")
        extra = set(spec) - {"record", "name", "connectwise", "quickbooks", "salesforce"}
        if extra:
            raise ConfigurationError(f"mapping config: custom_fields[{i}] has unknown keys {sorted(extra)}")
        record = _opt_str(spec.get("record"), f"custom_fields[{i}].record")
        name = _opt_str(spec.get("name"), f"custom_fields[{i}].name")
        if not record or not name:
            raise ConfigurationError(f"mapping config: custom_fields[{i}] needs record and name")
        out.append(
            CustomFieldMapping(
                record=record,
                name=name,
                connectwise=_opt_str(spec.get("connectwise"), f"custom_fields[{i}].connectwise"),
                quickbooks=_opt_str(spec.get("quickbooks"), f"custom_fields[{i}].quickbooks"),
                salesforce=_opt_str(spec.get("salesforce"), f"custom_fields[{i}].salesforce"),
            )
        )
    return tuple(out)


def _toml_loads() -> Callable[[str], dict[str, Any]]:
    for name in ("tomllib", "tomli"):  # tomllib is stdlib on 3.11+; tomli is its 3.10 backport
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        loads: Callable[[str], dict[str, Any]] = module.loads
        return loads
    raise ConfigurationError(  # pragma: no cover - Python 3.10 without tomli
        "reading a TOML mapping config needs Python 3.11+ or the 'tomli' package; "
        "or load the dict yourself and call MappingConfig.from_dict()"
    )
