"""QuickBooks payments <-> canonical payments (one payment applied across several invoices)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._money import quantize_amount
from msplink.mappers._util import fail, money, require, total
from msplink.mappers.quickbooks._shared import (
    SYSTEM,
    config_or_empty,
    currency_in,
    is_deletion_stub,
    link_in,
    own_ref,
    reference_out,
    refs_of,
    updated_in,
)
from msplink.models import (
    Link,
    Money,
    Payment,
    PaymentAllocation,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "UNMAPPED_PAYMENT_FIELDS",
    "payment_from_canonical",
    "payment_to_payment",
]


_PAYMENT_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "customer_ref",
        "total_amt",
        "txn_date",
        "payment_method_ref",
        "payment_ref_num",
        "private_note",
        "currency_ref",
        "exchange_rate",
        "line",
        "deposit_to_account_ref",
    }
)


UNMAPPED_PAYMENT_FIELDS: Final = unmapped_fields(qbo.Payment, _PAYMENT_MAPPED)
"""Payment attributes not carried (``UnappliedAmt`` is derived: ``Payment.unapplied``)."""


@total("Payment")
def payment_to_payment(
    payment: qbo.Payment | Mapping[str, Any], config: MappingConfig | None = None
) -> Payment:
    """Map a QBO payment (``GET /v3/company/{realm}/payment/{id}``) to a canonical :class:`Payment`.

    Each ``Line`` becomes an allocation to its linked transaction (Invoice, CreditMemo ...). The
    payment method is the ``quickbooks_ids.payment_methods`` name of the ref id (else the ref's
    name, else the id).

    Args:
        payment: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    p = parse_model(qbo.Payment, payment, "Payment")
    if is_deletion_stub(p):
        return Payment(
            refs=refs_of(p, "Payment"), deleted=True, customer=Link(), total=Money.zero(cfg.default_currency)
        )
    currency = currency_in(p.currency_ref, cfg, "Payment.currency")
    allocations = []
    for i, line in enumerate(p.line or ()):
        path = f"Payment.allocations[{i}]"
        for txn in line.linked_txn or ():
            if not txn.txn_id:
                fail(f"{path}.target", "linked transaction without an id")
            target_type = txn.txn_type or "Invoice"
            allocations.append(
                PaymentAllocation(
                    target=Link.to(SYSTEM, target_type, txn.txn_id),
                    amount=money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount"),
                    target_type=target_type,
                )
            )
    method = None
    if p.payment_method_ref is not None and p.payment_method_ref.value:
        value = p.payment_method_ref.value
        method = cfg.qbo_name("payment_methods", value) or p.payment_method_ref.name or value
    return Payment(
        refs=refs_of(p, "Payment"),
        updated_at=updated_in(p, "Payment.updated_at"),
        customer=require(link_in(p.customer_ref, "Customer"), "Payment.customer"),
        total=money(require(p.total_amt, "Payment.total"), currency, "Payment.total"),
        payment_date=p.txn_date,
        method=method,
        reference=p.payment_ref_num,
        memo=p.private_note,
        allocations=allocations,
        exchange_rate=p.exchange_rate,
        custom_fields={"deposit_account": p.deposit_to_account_ref.value}
        if p.deposit_to_account_ref is not None and p.deposit_to_account_ref.value
        else {},
    )


@total("Payment")
def payment_from_canonical(payment: Payment, config: MappingConfig | None = None) -> qbo.Payment:
    """Build a QBO payment (``POST /v3/company/{realm}/payment``) applying it across invoices.

    Every allocation target needs a QuickBooks ref (the sync engine adds it from the identity map).

    Args:
        payment: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    own_id, token = own_ref(payment, "Payment")
    lines = []
    for i, allocation in enumerate(payment.allocations):
        path = f"Payment.allocations[{i}].target"
        txn_id = allocation.target.id_for(SYSTEM, allocation.target_type)
        if txn_id is None:
            txn_id = allocation.target.id_for(SYSTEM)
        if txn_id is None:
            fail(path, f"the {allocation.target_type} has no QuickBooks ref", value=allocation.target.display)
        lines.append(
            qbo.Line(
                amount=quantize_amount(allocation.amount.amount),
                linked_txn=(qbo.LinkedTxn(txn_id=txn_id, txn_type=allocation.target_type),),
            )
        )
    method_ref = None
    if payment.method:
        method_id = cfg.qbo_id("payment_methods", payment.method)
        if method_id is None:
            if not payment.method.isdigit():
                fail(
                    "Payment.PaymentMethodRef",
                    "no QuickBooks payment method id for this name",
                    value=payment.method,
                )
            method_id = payment.method
        method_ref = qbo.Ref(value=method_id)
    deposit = payment.custom_fields.get("deposit_account")
    return qbo.Payment(
        id=own_id,
        sync_token=token,
        customer_ref=reference_out(payment.customer, "Customer", "Payment.CustomerRef", required=True),
        total_amt=quantize_amount(payment.total.amount),
        txn_date=payment.payment_date,
        payment_method_ref=method_ref,
        payment_ref_num=payment.reference,
        private_note=payment.memo,
        currency_ref=qbo.Ref(value=payment.currency),
        exchange_rate=payment.exchange_rate,
        line=tuple(lines) or None,
        deposit_to_account_ref=qbo.Ref(value=str(deposit)) if deposit else None,
    )
