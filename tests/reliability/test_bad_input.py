"""Bad input: only msplink's typed errors escape (issue 18).

Hypothesis feeds hostile values to every entry point that takes data from outside:

- every wire model's ``from_api`` (ConnectWise, QuickBooks, Salesforce): JSON objects over the
  model's own wire keys (and a few common ones) with any JSON values; it returns a model or raises
  ``ParseError`` (msplink's ``ValueError`` naming the field path);
- every mapper of ``msplink.mappers.MAPPERS``: real payloads of a seeded world with one value
  replaced by anything JSON can hold, both directions; a mapper returns or raises ``MappingError``
  (or ``ParseError`` for a payload that does not fit its wire model);
- the planner: canonical records with hostile text (control characters, lone surrogates, huge
  strings) and values of the wrong type in every field it diffs; it plans or raises a typed error;
- every webhook verifier: random bodies, signatures and headers; it refuses with a
  ``WebhookVerificationError`` / ``OutboundMessageError`` (or returns ``False``), never anything
  else, and never accepts a body that is not signed with the key.

The fast profile draws 25 examples per property; ``MSPLINK_SLOW=1`` draws 300.

Before issue 18 the Salesforce result, job and describe models let ``TypeError``,
``AttributeError`` and cattrs' ``ClassValidationError`` out of ``from_api``.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import json
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import msplink.connectwise.models as cw_models
import msplink.quickbooks.models as qbo_models
import msplink.salesforce.models as sf_models
from msplink._core._hooks import ParseError
from msplink.connectwise import webhooks as cw_hooks
from msplink.errors import MappingError, MsplinkError, WebhookVerificationError
from msplink.mappers import MAPPERS, Mapper
from msplink.models import Customer, ExternalRef
from msplink.quickbooks import webhooks as qbo_hooks
from msplink.salesforce import webhooks as sf_hooks
from msplink.sandbox import seed_world
from msplink.sync._plan import Incoming, Spec, plan_records

TYPED = (MsplinkError, ParseError)
EXAMPLES = 300 if os.environ.get("MSPLINK_SLOW") else 25
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", "2026-13-45", "2026-01-01T00:00:00", "NaN", "-1", "1e999", "\x00", "\ud800"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)


def _models() -> list[type[Any]]:
    found: dict[type[Any], None] = {}
    for module in (cw_models, qbo_models, sf_models):
        for _, value in sorted(vars(module).items()):
            if (
                inspect.isclass(value)
                and callable(getattr(value, "from_api", None))
                and value.__module__.startswith("msplink.")
            ):
                found[value] = None
    return list(found)


def _wire_keys(cls: type[Any]) -> list[str]:
    keys = {"id", "Id", "_info", "attributes", "name", "Name", "value", "errors", "records", "Line"}
    if attrs.has(cls):
        for a in attrs.fields(cls):
            keys.add(str(a.metadata.get("wire") or a.name))
            keys.add(a.name[:1].upper() + "".join(p.title() for p in a.name.split("_"))[1:])
            parts = a.name.split("_")
            keys.add(parts[0] + "".join(p.title() for p in parts[1:]))
    return sorted(keys)


MODELS = _models()


def test_every_vendor_package_has_models_under_test() -> None:
    modules = {m.__module__.split(".")[1] for m in MODELS}
    assert modules == {"connectwise", "quickbooks", "salesforce"}
    assert len(MODELS) >= 90


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m.__module__.split('.')[1]}.{m.__qualname__}")
def test_from_api_raises_only_parse_errors(model: type[Any]) -> None:
    @SETTINGS
    @given(st.dictionaries(st.sampled_from(_wire_keys(model)), json_values, max_size=6))
    def check(payload: dict[str, Any]) -> None:
        with contextlib.suppress(*TYPED):
            model.from_api(payload)

    check()


# ----------------------------------------------------------------------------------------- mappers


def _payloads() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Real payloads of a small seeded world, per (system, object), as the clients read them."""
    world = seed_world(12, seed=2)
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with world.clients() as c:
        cw_reads: dict[str, Any] = {
            "company": c.cw.companies.list(), "contact": c.cw.contacts.list(), "agreement": c.cw.agreements.list(),
            "invoice": c.cw.invoices.list(), "time_entry": c.cw.time_entries.list(), "ticket": c.cw.tickets.list(),
        }  # fmt: skip
        for name, paginator in cw_reads.items():
            out[("connectwise", name)] = [dict(x.raw) for x in paginator.to_list()[:4]]
        entities: tuple[tuple[str, Any], ...] = (
            ("Customer", c.qbo.customers),
            ("Invoice", c.qbo.invoices),
            ("Payment", c.qbo.payments),
        )
        for entity, resource in entities:
            out[("quickbooks", entity)] = [dict(x.raw) for x in resource.list().to_list()[:4]]
        sobjects: tuple[tuple[str, Any], ...] = (
            ("Account", c.sf.accounts),
            ("Contact", c.sf.contacts),
            ("Opportunity", c.sf.opportunities),
        )
        for sobject, resource in sobjects:
            out[("salesforce", sobject)] = [dict(x.raw) for x in resource.list().to_list()[:4]]
    return out


PAYLOADS = _payloads()


def _mutate(payload: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The payload with one value somewhere (top level or one level down) replaced by anything."""
    out = copy.deepcopy(payload)
    target: Any = out
    key = data.draw(st.sampled_from(sorted(out)))
    if isinstance(out[key], dict) and out[key] and data.draw(st.booleans()):
        target, key = out[key], data.draw(st.sampled_from(sorted(out[key])))
    target[key] = data.draw(json_values)
    return out


def _inbound() -> Iterator[Any]:
    for mapper in MAPPERS:
        if mapper.to_canonical is not None and (mapper.system, mapper.object) in PAYLOADS:
            yield pytest.param(mapper, id=f"{mapper.system}.{mapper.object}->{mapper.canonical.__name__}")


@pytest.mark.parametrize("mapper", list(_inbound()))
def test_mappers_raise_only_typed_errors_on_hostile_payloads(mapper: Mapper[Any]) -> None:
    payloads = PAYLOADS[(mapper.system, mapper.object)]
    assert payloads
    config = seed_world(12, seed=2).config

    @SETTINGS
    @given(st.data())
    def check(data: st.DataObject) -> None:
        payload = _mutate(data.draw(st.sampled_from(payloads)), data)
        try:
            assert mapper.to_canonical is not None
            record = mapper.to_canonical(payload, config)
        except TYPED:
            return
        for back in MAPPERS:
            if back.system == mapper.system and back.canonical is mapper.canonical and back.from_canonical:
                with contextlib.suppress(*TYPED):
                    back.from_canonical([record] if back.aggregate else record, config)

    check()


def test_every_mapper_system_is_fed() -> None:
    fed = {m.system for m in MAPPERS if m.to_canonical is not None and (m.system, m.object) in PAYLOADS}
    assert fed == {"connectwise", "quickbooks", "salesforce"}


# ----------------------------------------------------------------------------------------- planner

hostile_text = st.text(max_size=40) | st.sampled_from(
    ["\x00\x01", "\ud800", "e\u0301", "A" * 10_000, " \t\n"]
)


def _no_mapping(value: Any, config: Any) -> Any:
    return value


@attrs.frozen
class _Rows:
    to_canonical: Any = _no_mapping
    from_canonical: Any = _no_mapping
    reads: frozenset[str] = frozenset({"name", "email", "phone", "website", "notes"})
    writes: frozenset[str] = frozenset({"name", "email", "phone", "website", "notes"})


class _Side:
    system = "b"
    object = "customer"
    integration_user = None
    has_delete_feed = False
    batch_size = 30


def test_the_planner_plans_hostile_records_or_raises_typed_errors() -> None:
    from msplink.sync import Flow, by_email, by_link, by_name

    side: Any = _Side()
    flow = Flow(
        name="hostile", source=side, target=side, source_mapper=_Rows(), target_mapper=_Rows(),
        match=(by_link(), by_email(), by_name()),
    )  # fmt: skip
    spec = Spec.of(flow)
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)

    @SETTINGS
    @given(st.lists(st.tuples(hostile_text, st.none() | hostile_text, st.none() | hostile_text), max_size=8))
    def check(rows: list[tuple[str, str | None, str | None]]) -> None:
        incoming = [
            Incoming(
                ref=ExternalRef("a", "customer", str(i), "1"),
                record=Customer(
                    refs=ExternalRef("a", "customer", str(i), "1"),
                    name=name,
                    email=email,
                    phone=phone,
                    updated_at=moment,
                ),
            )
            for i, (name, email, phone) in enumerate(rows)
        ]
        with contextlib.suppress(*TYPED):
            plan_records(spec, incoming, {}, {})

    check()


# ---------------------------------------------------------------------------------------- webhooks

bodies = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode())
headers = st.dictionaries(
    st.sampled_from(["intuit-signature", "x-content-signature", "content-type", "X-Content-Signature"]),
    st.text(max_size=60).filter(lambda s: "\n" not in s and "\r" not in s),
    max_size=3,
)


@SETTINGS
@given(bodies, headers)
def test_the_qbo_webhook_verifier_refuses_with_typed_errors(body: bytes, hdrs: dict[str, str]) -> None:
    try:
        events = qbo_hooks.verify_and_parse(body, hdrs, "verifier-token")
    except WebhookVerificationError:
        return
    raise AssertionError(f"accepted an unsigned body: {events!r}")


@SETTINGS
@given(json_values.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=120))
def test_qbo_webhook_parsing_of_signed_bodies_raises_only_typed_errors(body: bytes) -> None:
    signature = qbo_hooks.sign(body, "verifier-token")
    with contextlib.suppress(WebhookVerificationError):
        qbo_hooks.verify_and_parse(body, {"intuit-signature": signature}, "verifier-token")


@SETTINGS
@given(bodies, headers)
def test_the_cw_callback_verifier_refuses_with_typed_errors(body: bytes, hdrs: dict[str, str]) -> None:
    def key_server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"signing_key": "k"})

    verifier = cw_hooks.CallbackVerifier(transport=httpx.MockTransport(key_server))
    try:
        verifier.verify(body, hdrs)
    except cw_hooks.CallbackVerificationError:
        return
    finally:
        verifier.close()
    raise AssertionError("accepted an unsigned delivery")


@SETTINGS
@given(bodies, st.none() | st.text(max_size=60))
def test_cw_delivery_parsing_and_signatures_raise_only_typed_errors(
    body: bytes, signature: str | None
) -> None:
    with contextlib.suppress(cw_hooks.CallbackVerificationError):
        cw_hooks.parse_delivery(body)
    assert cw_hooks.verify_signature(body, signature, "key") is False or signature == cw_hooks.sign(
        body, "key"
    )


xml_bodies = st.binary(max_size=200) | st.sampled_from(
    [
        b"<x/>",
        b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY b 'c'>]><a>&b;</a>",
        b"<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'><soapenv:Body/></soapenv:Envelope>",
    ]
)


@SETTINGS
@given(xml_bodies, st.text(max_size=18))
def test_sf_outbound_messages_raise_only_typed_errors(body: bytes, org: str) -> None:
    with contextlib.suppress(sf_hooks.OutboundMessageError):
        sf_hooks.parse_outbound_message(body, organization_id=org or "00D000000000001")


def test_mapping_errors_are_msplink_errors() -> None:
    assert issubclass(MappingError, MsplinkError)
    assert issubclass(ParseError, ValueError)
