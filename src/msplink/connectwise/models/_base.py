"""The bases of every ConnectWise wire model and the rule that names their fields on the wire.

A field ``account_number`` is ``accountNumber`` on the wire (camelCase, STYLE R17/R18); the few names
that do not follow the rule (``customerPO``, ``invoiceCCEmailAddress``, ``connectWiseID`` on some
entities ...) are listed per class in :data:`msplink.connectwise.models._wire.WIRE_EXCEPTIONS`
(generated from the schema). :func:`wire_names` applies both when a class is created, so every field
carries its wire name in ``metadata["wire"]`` for the converter and for ``to_patch()``; the classes
themselves stay plain annotated attributes.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeVar

import attrs

from msplink._core import UNSET
from msplink._core._display import compact_repr, html_record, update_repr
from msplink.connectwise.models._converter import structure, unstructure_value
from msplink.connectwise.models._wire import WIRE_EXCEPTIONS

__all__ = ["Entity", "Model", "Update", "camel", "wire_names"]

_M = TypeVar("_M", bound="Model")


def camel(name: str) -> str:
    """The camelCase wire name of a snake_case field (``address_line1`` -> ``addressLine1``)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wire_names(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer`` giving each field its wire name (rule, then exceptions table).

    Fields that already name their wire key (``_info``, ``CompanyInfo``'s PascalCase keys), the ``raw``
    payload and the values lifted out of ``_info`` are left as they are.
    """
    exceptions = WIRE_EXCEPTIONS.get(cls.__name__, {})
    named: list[attrs.Attribute[Any]] = []
    for field in fields:
        meta = field.metadata
        if "wire" in meta or meta.get("raw") or "info" in meta:
            named.append(field)
            continue
        wire = exceptions.get(field.name) or camel(field.name)
        named.append(field.evolve(metadata={**meta, "wire": wire}))
    return named


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class Model:
    """Base of every wire model: ``from_api`` / ``to_api`` and the untouched payload in ``raw``.

    ``repr()`` lists only the fields that are set; in Jupyter a model shows as a table of them.
    """

    __cw_model__: ClassVar[bool] = True

    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False, metadata={"raw": True})

    __repr__ = compact_repr

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every subclass gets the short repr: attrs sees a class that has its own ``__repr__`` and
        # generates none (the generated one would list every field, ~2,400 characters of ``None``).
        super().__init_subclass__(**kwargs)
        setattr(cls, "__repr__", compact_repr)  # noqa: B010

    def _repr_html_(self) -> str:
        """An HTML table of the fields that are set (Jupyter)."""
        return html_record(self)

    @classmethod
    def from_api(cls: type[_M], data: Mapping[str, Any]) -> _M:
        """Parse a wire payload (a decoded JSON object) into this model.

        Raises:
            ValueError: A field has a value of the wrong type (cattrs errors are ``ValueError`` too).
            TypeError: ``data`` is not a JSON object.
        """
        return structure(data, cls)

    def to_api(self) -> dict[str, Any]:
        """The wire form of the fields that are set (``None`` omitted, read-only ``_info`` left out)."""
        result: dict[str, Any] = unstructure_value(self)
        return result

    @classmethod
    def projection(cls, fields: Iterable[str]) -> tuple[str, ...]:
        """The ``fields=`` paths (REFERENCE §5.4) that carry the values of ``fields``, without link blocks.

        Every ConnectWise reference carries an ``_info`` block of ``_href`` links, and a record's
        own ``_info`` holds a dozen more beside the record's stamps, which are all a mapper reads. ConnectWise answers nested paths, so a reference field (a nested model with an
        ``_info`` block: ``status``) becomes the paths of its own fields (``status/id``,
        ``status/identifier``, ``status/name``; references of more than five fields, such as a
        currency, stay whole: their paths would cost more URL than their links cost bytes) and an
        entity's ``_info`` its stamps (``_info/lastUpdated``, ``_info/updatedBy``,
        ``_info/dateEntered``, ``_info/enteredBy``). Arrays, other fields and paths that already
        hold a ``/`` stay as given. A payload read with the result parses to the same field values
        as one read with ``fields`` (references lose only their links and tenant-specific extras).

        Args:
            fields: Top-level wire field names (a mapper's ``reads``) or paths.

        Example:
            >>> Company.projection(["id", "status"])
            ('id', 'status/id', 'status/identifier', 'status/name')
        """
        names = tuple(fields)
        found = _PROJECTIONS.get((cls, names))
        if found is None:
            found = _PROJECTIONS[(cls, names)] = _projection(cls, names)
        return found


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class Entity(Model):
    """An entity with an ``_info`` block; its ``lastUpdated`` / ``updatedBy`` are lifted."""

    info: Mapping[str, Any] | None = attrs.field(default=None, eq=False, metadata={"wire": "_info"})
    last_updated: datetime | None = attrs.field(default=None, metadata={"info": "lastUpdated"})
    updated_by: str | None = attrs.field(default=None, metadata={"info": "updatedBy"})


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class Update:
    """Base of partial updates (``<Model>Update``): fields default to ``UNSET``.

    ``repr()`` lists only the fields that are set (``None``, which clears a field, is not shown:
    read ``to_patch()`` for the exact operations).
    """

    __cw_model__: ClassVar[bool] = True

    __repr__ = update_repr

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every subclass gets the short repr: attrs sees a class that has its own ``__repr__`` and
        # generates none (the generated one would list every field, ~2,400 characters of ``None``).
        super().__init_subclass__(**kwargs)
        setattr(cls, "__repr__", update_repr)  # noqa: B010

    def _repr_html_(self) -> str:
        """An HTML table of the fields that are set (Jupyter)."""
        return html_record(self)

    def to_patch(self) -> list[dict[str, Any]]:
        """The ConnectWise JSON Patch operations for the fields that are set (``PATCH {collection}/{id}``).

        ``None`` becomes ``replace`` with ``null`` (clear); references and custom fields are sent
        whole (CW never patches ``company/identifier`` or a single custom field).
        """
        ops: list[dict[str, Any]] = []
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if value is UNSET:
                continue
            ops.append({"op": "replace", "path": field.metadata["wire"], "value": unstructure_value(value)})
        return ops

    def is_empty(self) -> bool:
        """Tell whether no field is set."""
        return all(getattr(self, f.name) is UNSET for f in attrs.fields(type(self)))


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return tp


_INFO_STAMPS = ("lastUpdated", "updatedBy", "dateEntered", "enteredBy")
"""What an entity's ``_info`` says about the record itself (the rest are ``_href`` links)."""

_MAX_REFERENCE_PATHS = 5
"""References with more fields than this (a currency: 12) stay whole: their paths would cost more URL
than their links cost bytes (ConnectWise advises URLs under ~2,000 characters, REFERENCE §5)."""


def _own_paths(cls: type[Any]) -> list[str] | None:
    """A reference class's field paths without its ``_info`` (``None``: not a class with an ``_info``)."""
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        return None
    attributes = attrs.fields(cls)
    if not any(a.metadata.get("wire") == "_info" for a in attributes):
        return None
    paths: list[str] = []
    for a in attributes:
        wire = a.metadata.get("wire")
        if wire is None or wire == "_info" or a.metadata.get("raw") or "info" in a.metadata:
            continue
        paths.append(wire)
    return paths if len(paths) <= _MAX_REFERENCE_PATHS else None


_PROJECTIONS: dict[tuple[type[Any], tuple[str, ...]], tuple[str, ...]] = {}
"""Computed projections (a handful per process: one per adapter's model and mapper)."""


def _projection(cls: type[Model], fields: tuple[str, ...]) -> tuple[str, ...]:
    attrs.resolve_types(cls)
    by_wire = {a.metadata.get("wire"): a for a in attrs.fields(cls)}
    lifts = any("info" in a.metadata for a in attrs.fields(cls))
    out: list[str] = []
    for name in fields:
        if name == "_info" and lifts:
            out.extend(f"_info/{key}" for key in _INFO_STAMPS)
            continue
        attribute = by_wire.get(name)
        own = (
            _own_paths(_strip_optional(attribute.type)) if attribute is not None and "/" not in name else None
        )
        if own:
            out.extend(f"{name}/{path}" for path in own)
        else:
            out.append(name)
    return tuple(dict.fromkeys(out))
