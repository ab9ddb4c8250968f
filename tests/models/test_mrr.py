"""MRR for monthly, quarterly, yearly, weekly and one-time billing, checked against hand-computed values."""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.models import (
    CONNECTWISE,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillingCycle,
    CurrencyMismatchError,
    Link,
    Money,
)

ACME = Link.to(CONNECTWISE, "company", 1)
TODAY = date(2026, 6, 15)


def agreement(
    cycle: BillingCycle,
    bill: str | int | None,
    *additions: AgreementAddition,
    currency: str = "USD",
    **kw: Any,
) -> Agreement:
    return Agreement(
        name="MSP",
        customer=ACME,
        currency=currency,
        billing_cycle=cycle,
        bill_amount=Money(bill, currency) if bill is not None else None,
        additions=additions,
        **kw,
    )


def add(qty: int, price: str, currency: str = "USD", **kw: Any) -> AgreementAddition:
    return AgreementAddition(quantity=qty, unit_price=Money(price, currency), **kw)


# Hand-computed:
#  monthly   1500.00 + 25 x 45.00 = 2625.00 per month                           -> 2625.00
#  quarterly 3000.00 + 10 x 100.00 = 4000.00 per quarter; 4000 / 3 = 1333.333.. -> 1333.33
#  yearly    12000.00 + 5 x 240.00 = 13200.00 per year; 13200 / 12              -> 1100.00
#  yearly    1000.14 / 12 = 83.345 exactly                                     -> 83.35 (HALF_UP)
#  weekly    100.00 x 52 / 12 = 433.333..                                       -> 433.33
#  bi-weekly 300.00 x 26 / 12 = 650.00                                          -> 650.00
#  semi-ann. 600.00 / 6 = 100.00                                                -> 100.00
#  bi-month. 250.00 / 2 = 125.00                                                -> 125.00
#  one-time  5000.00                                                            -> 0.00
#  JPY quarterly 10000 / 3 = 3333.33..                                          -> 3333 (0 minor units)
CASES = [
    (agreement(BillingCycle.MONTHLY, "1500.00", add(25, "45.00")), Money("2625.00", "USD")),
    (agreement(BillingCycle.QUARTERLY, "3000.00", add(10, "100.00")), Money("1333.33", "USD")),
    (agreement(BillingCycle.YEARLY, "12000.00", add(5, "240.00")), Money("1100.00", "USD")),
    (agreement(BillingCycle.YEARLY, "1000.14"), Money("83.35", "USD")),
    (agreement(BillingCycle.WEEKLY, "100.00"), Money("433.33", "USD")),
    (agreement(BillingCycle.BIWEEKLY, "300.00"), Money("650.00", "USD")),
    (agreement(BillingCycle.SEMIANNUAL, "600.00"), Money("100.00", "USD")),
    (agreement(BillingCycle.BIMONTHLY, "250.00"), Money("125.00", "USD")),
    (agreement(BillingCycle.ONE_TIME, "5000.00", add(3, "10")), Money("0.00", "USD")),
    (agreement(BillingCycle.QUARTERLY, 10000, currency="JPY"), Money(3333, "JPY")),
]


@pytest.mark.parametrize(("agr", "expected"), CASES, ids=[c[0].billing_cycle.value for c in CASES])
def test_mrr_matches_hand_computed_values(agr, expected):
    mrr = agr.mrr(TODAY)
    assert mrr == expected
    assert mrr.amount.as_tuple().exponent == -expected.minor_units


def test_rounding_mode_is_half_up_and_overridable():
    agr = agreement(BillingCycle.YEARLY, "1000.14")  # 83.345 per month
    assert agr.mrr().amount == Decimal("83.35")
    assert agr.mrr(rounding=ROUND_HALF_EVEN).amount == Decimal("83.34")
    assert agr.arr() == Money("1000.20", "USD")


def test_only_active_billable_additions_count():
    agr = agreement(
        BillingCycle.MONTHLY,
        None,
        add(30, "10", less_included=5),  # 25 x 10 = 250
        add(2, "50", billable=False),  # not billed
        add(1, "99", cancelled_date=date(2026, 6, 1)),  # cancelled before TODAY
        add(1, "77", effective_date=date(2026, 7, 1)),  # starts after TODAY
        add(4, "12.5", effective_date=date(2026, 1, 1), cancelled_date=date(2026, 12, 31)),  # 50
    )
    assert agr.recurring_amount(TODAY) == Money("300.0", "USD")
    assert agr.mrr(TODAY) == Money("300.00", "USD")
    # without a date only billability and cancellation matter: 250 + 77 (the last one has a cancel date)
    assert agr.mrr() == Money("327.00", "USD")


def test_inactive_or_ended_agreements_have_zero_mrr():
    assert agreement(BillingCycle.MONTHLY, "100", status=AgreementStatus.CANCELLED).mrr() == Money(
        "0.00", "USD"
    )
    ended = agreement(BillingCycle.MONTHLY, "100", end_date=date(2026, 5, 31))
    assert ended.mrr(TODAY).is_zero()
    assert ended.mrr() == Money("100.00", "USD")
    not_started = agreement(BillingCycle.MONTHLY, "100", start_date=date(2026, 7, 1))
    assert not_started.mrr(TODAY).is_zero()
    open_ended = agreement(BillingCycle.MONTHLY, "100", end_date=date(2026, 1, 1), no_end_date=True)
    assert open_ended.mrr(TODAY) == Money("100.00", "USD")


def test_expiry_window():
    agr = agreement(BillingCycle.MONTHLY, "1", end_date=date(2026, 7, 10))
    assert agr.expires_within(30, TODAY)
    assert not agr.expires_within(10, TODAY)
    assert not agreement(BillingCycle.MONTHLY, "1", no_end_date=True).expires_within(9999, TODAY)


def test_agreement_refuses_mixed_currencies():
    with pytest.raises(CurrencyMismatchError, match=r"additions\[0\]"):
        agreement(BillingCycle.MONTHLY, "1", add(1, "1", currency="EUR"))


def test_cycle_factors_and_months():
    assert BillingCycle.QUARTERLY.months == Decimal(3)
    assert BillingCycle.ONE_TIME.months is None
    assert BillingCycle.WEEKLY.monthly_factor * 12 == Decimal(52)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([c for c in BillingCycle if c is not BillingCycle.ONE_TIME]),
    st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
)
def test_mrr_times_cycle_months_recovers_the_cycle_amount(cycle, amount):
    mrr = agreement(cycle, amount).mrr()
    months = cycle.months
    assert months is not None
    # rounding to a cent loses at most half a cent per month
    assert abs(mrr.amount * months - amount) <= Decimal("0.005") * months + Decimal("1e-20")
