"""QBO faults and the small value helpers every business rule of the sandbox shares."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

__all__ = ["BUSINESS", "CENT", "Fault", "business", "money", "ref", "required", "round2"]

CENT = Decimal("0.01")
BUSINESS = "A business validation error has occurred while processing your request"
_WIDE = Context(prec=60)  # quantize never overflows for the magnitudes the wire accepts (< 1e15)


class Fault(Exception):
    """A QBO fault: raised by the rules, rendered as ``{"Fault": {"Error": [...], "type": ...}}``."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: str = "",
        *,
        element: str = "",
        status: int = 400,
        fault_type: str = "ValidationFault",
    ) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.detail = detail or message
        self.element = element
        self.status = status
        self.fault_type = fault_type

    def body(self) -> dict[str, Any]:
        """The ``Fault`` object."""
        return {
            "Error": [
                {"Message": self.message, "Detail": self.detail, "code": self.code, "element": self.element}
            ],
            "type": self.fault_type,
        }


def required(field: str) -> Fault:
    """Fault 2020 for a missing required field."""
    return Fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {field} is missing in the request",
        element=field,
    )


def business(detail: str, element: str = "") -> Fault:
    """Fault 6000 (a business validation error) with ``Business Validation Error: <detail>``."""
    return Fault("6000", BUSINESS, f"Business Validation Error: {detail}", element=element)


def money(value: Any, field: str = "Amount") -> Decimal:
    """Parse an amount (Decimal, int or numeric string) or raise a validation fault."""
    if isinstance(value, bool) or value is None or isinstance(value, (Mapping, list)):
        raise Fault(
            "2050",
            "String length specified does not match the supported length",
            f"Invalid {field}",
            element=field,
        )
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise Fault("2170", "Invalid Number", f"{field} is not a number", element=field) from None
    if not result.is_finite() or abs(result) >= Decimal("1e15"):
        raise Fault("2170", "Invalid Number", f"{field} is not a valid amount", element=field)
    return result


def round2(value: Decimal) -> Decimal:
    """Round half-up to cents (QBO's rule for line amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_WIDE)


def ref(obj: Mapping[str, Any], key: str) -> str | None:
    """The ``value`` of a reference field (``{"value": "12"}``), or ``None``."""
    value = obj.get(key)
    if isinstance(value, Mapping) and value.get("value") not in (None, ""):
        return str(value["value"])
    return None
