"""Records as ``pandas.DataFrame`` objects with proper dtypes (the ``pandas`` extra).

Each record becomes one row of its set fields, flattened (:func:`msplink._core._display.flatten`:
``status.name``, ``total.amount``). Columns are then typed by what they hold:

* ``Decimal`` (money, quantities): ``float64`` when every value has at most 15 significant digits,
  so each float prints back as the same decimal; otherwise the column keeps the exact ``Decimal``
  objects (dtype ``object``) rather than round anything.
* aware ``datetime``: ``datetime64[ns, UTC]``; ``date``: ``datetime64`` without a time zone (a date
  is a day, not an instant).
* ``int``: the nullable ``Int64``; ``bool``: the nullable ``boolean`` (a missing value stays
  missing instead of turning the column into floats).
* anything else (text, lists, references) as pandas infers it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from msplink._core._display import flatten, html_records
from msplink.errors import ConfigurationError

__all__ = ["FLOAT_SAFE_DIGITS", "RecordList", "column_values", "to_pandas"]

T = TypeVar("T")

FLOAT_SAFE_DIGITS = 15
"""Significant digits a ``float64`` holds exactly as a decimal (``sys.float_info.dig``)."""


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise ConfigurationError("to_pandas() needs pandas: pip install 'msplink[pandas]'") from None
    return pd


def _float_safe(value: Decimal) -> bool:
    if not value.is_finite():
        return False
    digits = value.normalize().as_tuple().digits
    return len(digits) <= FLOAT_SAFE_DIGITS


def column_values(values: list[Any]) -> tuple[str, list[Any]]:
    """Tell the kind of a column (``decimal``, ``float-decimal``, ``datetime``, ``date``, ``int``,
    ``bool`` or ``other``) from its non-missing values, and return the values to build it from."""
    present = [v for v in values if v is not None]
    if not present:
        return "other", values
    if all(isinstance(v, bool) for v in present):
        return "bool", values
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int", values
    if all(isinstance(v, Decimal) for v in present):
        if all(_float_safe(v) for v in present):
            return "float-decimal", [None if v is None else float(v) for v in values]
        return "decimal", values
    if all(isinstance(v, datetime) and v.tzinfo is not None for v in present):
        return "datetime", values
    if all(isinstance(v, date) and not isinstance(v, datetime) for v in present):
        return "date", values
    return "other", values


def _series(pd: Any, name: str, values: list[Any]) -> Any:
    kind, data = column_values(values)
    if kind == "bool":
        return pd.Series(data, name=name, dtype="boolean")
    if kind == "int":
        return pd.Series(data, name=name, dtype="Int64")
    if kind == "float-decimal":
        return pd.Series([float("nan") if v is None else v for v in data], name=name, dtype="float64")
    if kind == "datetime":
        return pd.Series(pd.to_datetime(data, utc=True), name=name).astype("datetime64[ns, UTC]")
    if kind == "date":
        return pd.Series(pd.to_datetime(data), name=name).astype("datetime64[ns]")
    return pd.Series(data, name=name, dtype=object if kind == "decimal" else None)


def to_pandas(records: Iterable[object]) -> Any:
    """A ``pandas.DataFrame`` with one row per record (attrs models or dict rows).

    Args:
        records: Wire models, canonical models or plain dict rows (Salesforce queries).

    Returns:
        The DataFrame; columns in first-seen order, typed as the module docstring says.

    Raises:
        ConfigurationError: pandas is not installed.
    """
    pd = _pandas()
    rows = [flatten(record) for record in records]
    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    series = [_series(pd, name, [row.get(name) for row in rows]) for name in columns]
    if not series:
        return pd.DataFrame(index=pd.RangeIndex(len(rows)))
    return pd.concat(series, axis=1)


class RecordList(list[T]):
    """A ``list`` of records that renders as a table in Jupyter and converts to a DataFrame.

    It is an ordinary list in every other way (``==``, slicing and ``len`` are a list's).
    """

    def _repr_html_(self) -> str:
        return html_records(self)

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``, one row per record (see :func:`msplink.to_pandas`; needs the
        ``pandas`` extra)."""
        return to_pandas(self)
