"""Arbitrary JSON (not shaped like any sample) given to every inbound mapper: a result or a MappingError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.mappers import connectwise as cwm
from msplink.mappers import quickbooks as qbm
from msplink.mappers import salesforce as sfm

from ._harness import json_values, maps_or_raises_mapping_error

INBOUND: list[Callable[..., Any]] = list(
    dict.fromkeys(  # aliases (company_to_customer = company_to_customer) counted once
        getattr(module, name)
        for module in (cwm, qbm, sfm)
        for name in module.__all__
        if "_to_" in name and callable(getattr(module, name))
    )
)

KEYS = [
    "id",
    "Id",
    "name",
    "Name",
    "DisplayName",
    "company",
    "CustomerRef",
    "Line",
    "_info",
    "currency",
    "CurrencyRef",
    "StageName",
    "Status",
    "billingCycle",
    "TotalAmt",
    "Amount",
    "amount",
    "timeStart",
    "MetaData",
    "custom",
]
keys = st.sampled_from(KEYS) | st.text(max_size=6)
payloads = st.one_of(st.dictionaries(keys, json_values, max_size=6), json_values)


def test_every_inbound_mapper_is_covered():
    names = {f.__name__ for f in INBOUND}
    assert {"company_to_customer", "customer_to_customer", "account_to_customer", "case_to_ticket"} <= names
    assert len(INBOUND) == 31


@pytest.mark.parametrize(
    "mapper", INBOUND, ids=[f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}" for f in INBOUND]
)
def test_arbitrary_json_maps_or_raises_mapping_error(mapper):
    @settings(max_examples=25, deadline=None)
    @given(payloads)
    def run(payload):
        maps_or_raises_mapping_error(mapper, payload)

    run()
