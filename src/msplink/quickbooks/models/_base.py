"""The base classes (:class:`QBOModel`, :class:`Entity`, :class:`SparseUpdate`) and the shared parts:
references, metadata, addresses, e-mail, phone and web addresses, linked transactions, custom fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeVar

import attrs

from msplink._core import UNSET
from msplink._core._display import compact_repr, html_record, update_repr
from msplink.quickbooks.models._converter import converter, render_full, render_update, structure

__all__ = [
    "Address",
    "CustomField",
    "DeletedEntity",
    "EmailAddress",
    "Entity",
    "LinkedTxn",
    "MetaData",
    "QBOModel",
    "Ref",
    "SparseUpdate",
    "Telephone",
    "WebAddress",
]

M = TypeVar("M", bound="QBOModel")


@attrs.frozen(kw_only=True, slots=False)
class QBOModel:
    """Base of every QBO wire model: ``from_api``/``to_api`` and the untouched payload in ``raw``.

    ``repr()`` lists only the fields that are set; in Jupyter a model shows as a table of them.
    """

    __qbo_model__: ClassVar[bool] = True
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False, kw_only=True)

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
    def from_api(cls: type[M], data: Mapping[str, Any]) -> M:
        """Parse a wire payload (the inner object, not the ``{"Customer": ...}`` envelope); ``raw`` is
        ``data`` itself, never a copy.

        Raises:
            ValueError: A field does not fit its type (the message names the field paths).
            TypeError: ``data`` is not a JSON object.
        """
        return structure(data, cls)

    def to_api(self) -> dict[str, Any]:
        """Render the set fields (``None`` left out) with their wire names."""
        result: dict[str, Any] = converter.unstructure(self)
        return result

    def to_api_full(self) -> dict[str, Any]:
        """Render for a full update: the model's fields (``None`` = cleared) plus, at every level, the
        keys of ``raw`` msplink does not model (so a full update never drops fields it does not know)."""
        return render_full(self)


@attrs.frozen(kw_only=True, slots=False)
class Ref(QBOModel):
    """A reference to another entity (``ReferenceType``): ``{"value": id, "name": display}``."""

    _lower_case_wire: ClassVar[bool] = True
    value: str | None = None
    name: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class MetaData(QBOModel):
    """Creation and last-update timestamps (read-only)."""

    create_time: datetime | None = None
    last_updated_time: datetime | None = None


@attrs.frozen(kw_only=True, slots=False)
class EmailAddress(QBOModel):
    """An e-mail address (``{"Address": ...}``)."""

    address: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Telephone(QBOModel):
    """A phone number (``{"FreeFormNumber": ...}``)."""

    free_form_number: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class WebAddress(QBOModel):
    """A web address (``{"URI": ...}``)."""

    uri: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Address(QBOModel):
    """A physical address."""

    id: str | None = None
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    line4: str | None = None
    line5: str | None = None
    city: str | None = None
    country: str | None = None
    country_sub_division_code: str | None = None
    postal_code: str | None = None
    lat: str | None = None
    long: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class LinkedTxn(QBOModel):
    """A link to another transaction (payments applied, estimates converted, time billed)."""

    txn_id: str | None = None
    txn_type: str | None = None
    txn_line_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class CustomField(QBOModel):
    """A legacy string custom field of a sales form."""

    definition_id: str | None = None
    name: str | None = None
    type: str | None = None
    string_value: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Entity(QBOModel):
    """Fields common to every QBO entity: ``Id``, ``SyncToken``, ``MetaData``."""

    entity_name: ClassVar[str] = ""
    id: str | None = None
    sync_token: str | None = None
    meta_data: MetaData | None = None
    domain: str | None = None
    sparse: bool | None = None


@attrs.frozen(kw_only=True, slots=False)
class DeletedEntity(QBOModel):
    """A deletion: the answer of a delete, or a CDC tombstone (``status: "Deleted"``)."""

    entity_name: str = ""
    id: str | None = None
    status: str | None = None
    domain: str | None = None
    meta_data: MetaData | None = None


@attrs.frozen(kw_only=True, slots=False)
class SparseUpdate:
    """Base of the typed sparse updates (``CustomerUpdate``, ``InvoiceUpdate`` ...).

    ``id`` and ``sync_token`` are required; every other field defaults to ``UNSET`` and is left alone.
    ``None`` clears a field (it is sent as ``null``), a value sets it. The body is POSTed with
    ``"sparse": true`` (POST /v3/company/{realm}/{entity}), so fields not named are never touched.
    Arrays (``line``) are replaced wholesale, as QBO does; nested objects are sent as given.

    Some removals only work by full update (Intuit support on clearing ``Item.ClassRef``,
    https://github.com/intuit/QuickBooks-V3-DotNET-SDK/issues/113): use ``update(model, full=True)``.
    """

    __qbo_update__: ClassVar[bool] = True
    entity_name: ClassVar[str] = ""
    id: str
    sync_token: str

    __repr__ = update_repr

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every subclass gets the short repr: attrs sees a class that has its own ``__repr__`` and
        # generates none (the generated one would list every field, ~2,400 characters of ``None``).
        super().__init_subclass__(**kwargs)
        setattr(cls, "__repr__", update_repr)  # noqa: B010

    def _repr_html_(self) -> str:
        """An HTML table of the fields that are set (Jupyter)."""
        return html_record(self)

    def to_api(self) -> dict[str, Any]:
        """The sparse-update body: ``Id``, ``SyncToken``, ``sparse: true`` and the fields that are set."""
        return render_update(self)

    def is_empty(self) -> bool:
        """Tell whether no field besides ``id`` and ``sync_token`` is set."""
        return all(
            getattr(self, f.name) is UNSET
            for f in attrs.fields(type(self))
            if f.name not in {"id", "sync_token"}
        )
