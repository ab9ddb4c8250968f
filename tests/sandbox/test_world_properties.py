"""Property tests of the world planner, the name variants and the saved-state JSON codec."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.sandbox._worldgen import STYLES, normal_form, plan_world, variant
from msplink.sandbox._worldstore import dumps, loads
from msplink.sandbox._worldtables import CW, PLACES, QBO, SF, SUFFIXES, SYSTEMS, TRADES

NOW = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


@settings(max_examples=25)
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=2**32))
def test_the_planner_keeps_its_promises(n: int, seed: int) -> None:
    blueprint = plan_world(n, seed, NOW)
    businesses = blueprint.businesses
    assert [b.key for b in businesses] == list(range(n))
    assert all(b.systems and b.systems <= set(SYSTEMS) for b in businesses)
    groups: dict[str, list[int]] = defaultdict(list)
    for b in businesses:
        forms = {normal_form(name) for name in b.names.values()}
        assert len(forms) == 1, b.names  # one company, one normal form in every system
        groups[forms.pop()].append(b.key)
    twins = {b.key: b.twin_of for b in businesses if b.twin_of is not None}
    for keys in groups.values():
        if len(keys) == 1:
            continue
        assert len(keys) == 2  # only the deliberate ambiguous pairs share a name
        single, source = (keys[0], keys[1]) if keys[0] in twins else (keys[1], keys[0])
        assert twins[single] == source
        (system,) = businesses[single].systems
        assert system in {QBO, SF} and {CW, system} <= businesses[source].systems
    assert len(twins) == sum(1 for keys in groups.values() if len(keys) == 2)
    for b in businesses:
        totals = [b.invoice_total(i) for i in range(len(b.invoices))]
        assert all(t > 0 for t in totals)
        assert all(inv.due >= inv.issued for inv in b.invoices)
        paid: dict[int, Decimal] = defaultdict(Decimal)
        for payment in b.payments:
            assert payment.total > 0
            for index, amount in payment.allocations:
                assert b.invoices[index].in_qbo
                paid[index] += amount
        assert all(paid[i] <= totals[i] for i in paid)
        for ticket in b.tickets:
            assert ticket.entered < blueprint.now
            for entry in ticket.time:
                assert entry.start < blueprint.now
                if entry.invoice is not None:
                    assert b.invoices[entry.invoice].kind == "Standard" and entry.status == "Billed"
    assert plan_world(n, seed, NOW) == blueprint


@given(
    base=st.builds(lambda p, t: f"{p} {t}", st.sampled_from(PLACES), st.sampled_from(TRADES)),
    suffix=st.sampled_from(SUFFIXES),
    style=st.sampled_from(STYLES),
)
def test_every_spelling_variant_keeps_the_normal_form(base: str, suffix: str, style: str) -> None:
    canonical = f"{base} {suffix}".strip()
    spelled = variant(base, suffix, style)
    assert normal_form(spelled) == normal_form(canonical)
    if style in {"upper", "lower"}:
        assert spelled.casefold() == canonical.casefold()


_aware = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2200, 1, 1),
    timezones=st.builds(
        timezone, st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m))
    ),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    _aware,
)
_keys = st.text(max_size=8).filter(lambda k: not k.startswith("$"))
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


@given(_values)
def test_the_saved_state_codec_is_exact(value: Any) -> None:
    text = dumps(value)
    back = loads(text)
    assert back == value
    assert dumps(back) == text  # exact: 1.50 stays 1.50, offsets stay offsets
