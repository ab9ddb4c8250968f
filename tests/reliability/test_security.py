"""Security (issue 18): no query injection in the three languages; no secret anywhere; state files 0600.

**Injection.** For any value (text with quotes, backslashes, wildcards, newlines, keywords), the
condition msplink renders is parsed by the sandbox's *independent* parser of the vendor's language
(ConnectWise conditions, QuickBooks query, SOQL) into exactly one predicate on the named field whose
literal is the value itself: nothing leaves its literal. Any field name or ORDER BY term that is not a
plain identifier is refused (a typed ``ConfigurationError``) before a request is built.

**Secrets.** A recipe runs against the three sandboxes with every logger at DEBUG (httpx and httpcore
included), while each platform is made to fail in every way that builds an error (401 with a token
refresh, 429, 503, lost answers), with the state in a SQLite file and the traffic recorded to a
cassette with msplink's ``vcr_config``. Then every log line, the reprs and strings of the clients,
their auth objects, token stores and every exception raised, the report (text and dicts), the state
database's bytes and the cassette are scanned for every secret the sandboxes issued: access and
refresh tokens, client secrets, CW private keys, Basic credentials. **Files**: the state database
and its WAL/SHM companions, and token files, are created 0600.
"""

from __future__ import annotations

import logging
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msplink.connectwise import conditions as cwc
from msplink.errors import MsplinkError
from msplink.quickbooks import FileTokenStore as QboFileTokenStore
from msplink.quickbooks import OAuthToken
from msplink.quickbooks import query as qbq
from msplink.salesforce import soql
from msplink.sandbox import FaultKind, World, seed_world
from msplink.sandbox.connectwise import _conditions as cw_oracle
from msplink.sandbox.quickbooks import _query as qbo_oracle
from msplink.sandbox.salesforce import _soql as sf_oracle
from msplink.sync import SQLiteStateStore
from msplink.sync.recipes import RECIPES
from tests.reliability._clients import auths, sync_clients
from tests.reliability._recipes import API_PATHS, INTEGRATION_USER, kwargs_for

SETTINGS = settings(
    max_examples=300 if os.environ.get("MSPLINK_SLOW") else 60,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
nasty = st.text(max_size=30) | st.sampled_from(
    [
        "'", "''", "\\'", "\\", "' OR 1=1 --", "x' or name='y", '") or ("1"="1', "%", "_", "*", "\n",
        "a'; DELETE", "' AND Id != '", "1' OR '1'='1", "O'Brien & Sons", "\\\\'", "'\\", "null", "true",
    ]
)  # fmt: skip
not_identifiers = st.sampled_from(
    [
        "name = 'x' or 1", "Name) OR (Id", "name;", "a b", "", "x'", "1abc", "name--", "Id,Name",
        "Name DESC, Id", "Name NULLS", "(Name)", "na\nme", "Name\x00",
    ]
)  # fmt: skip


def _single(items: Any) -> Any:
    assert len(items) == 1, items
    return items[0]


def _cw_matches(text: str, value: str) -> bool:
    node = cw_oracle.parse(text)
    assert isinstance(node, cw_oracle.Pred), text  # one predicate: nothing escaped its literal
    assert node.path == ("name",)
    return cw_oracle.evaluate(node, {"name": value}, lambda record, path: [record.get(path[0])])


@SETTINGS
@given(nasty, nasty)
def test_cw_conditions_keep_any_value_inside_its_literal(value: str, other: str) -> None:
    try:
        text = cwc.render(cwc.F("name") == value)
    except MsplinkError:  # a value ConnectWise cannot quote (both quote kinds) is refused, typed
        assert '"' in value and "'" in value
        return
    assert text is not None
    # exactly the value matches (a trailing backslash becomes an escaped exact LIKE pattern)
    assert _cw_matches(text, value)
    if other.casefold() != value.casefold():
        assert not _cw_matches(text, other)


@SETTINGS
@given(nasty)
def test_qbo_queries_keep_any_value_inside_its_literal(value: str) -> None:
    try:
        statement = qbq.select("Customer").where(qbq.field("DisplayName") == value).order_by("Id").render()
    except MsplinkError:  # QBO has no escape for control characters: refused, typed
        assert any(unicodedata.category(ch) == "Cc" for ch in value)
        return
    parsed = qbo_oracle.parse_query(statement)
    condition = _single(parsed.conditions)
    assert (condition.field, condition.op) == ("DisplayName", "=")
    assert condition.value.value == value
    assert parsed.order == (("Id", False),)


@SETTINGS
@given(nasty)
def test_soql_keeps_any_value_inside_its_literal(value: str) -> None:
    try:
        statement = (
            soql.select("Id", "Name")
            .from_("Account")
            .where(soql.F("Name") == value)
            .order_by("Name")
            .render()
        )
    except MsplinkError:  # refused, typed (never rendered unescaped)
        return
    parsed = sf_oracle.parse_soql(statement)
    assert parsed.sobject.lower() == "account"
    where = parsed.where
    assert isinstance(where, sf_oracle.Cmp), statement
    assert where.field.lower() == "name" and where.op == "=" and where.value == value


@SETTINGS
@given(not_identifiers)
def test_field_names_and_order_by_terms_are_identifiers_or_refused(name: str) -> None:
    attempts: list[Callable[[], object]] = [
        lambda: cwc.render(cwc.F(name) == "x"),
        lambda: cwc.order_by_param(name),
        lambda: cwc.fields_param([name]),
        lambda: qbq.select("Customer").where(qbq.field(name) == "x").render(),
        lambda: qbq.select("Customer").order_by(name).render(),
        lambda: qbq.select("Customer", name).render(),
        lambda: qbq.select(name).render(),
        lambda: soql.select("Id").from_("Account").where(soql.F(name) == "x").render(),
        lambda: soql.select("Id").from_("Account").order_by(name).render(),
        lambda: soql.select(name).from_("Account").render(),
        lambda: soql.select("Id").from_(name).render(),
    ]
    for attempt in attempts:
        with pytest.raises(MsplinkError):
            attempt()


# ----------------------------------------------------------------------------------------- secrets


def _secrets(world: World) -> set[str]:
    """Every secret the world's sandboxes hand out (each call issues fresh tokens: collect them all)."""
    found: set[str] = set()
    for creds in (world.cw.credentials(), world.qbo.credentials(), world.sf.credentials()):
        for key, value in creds.items():
            secret = any(s in key for s in ("token", "secret", "private", "password", "key"))
            if secret and isinstance(value, str) and key != "public_key" and len(value) >= 8:
                found.add(value)
    return found


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def debug_logs() -> Iterator[_Capture]:
    capture = _Capture()
    capture.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    names = ["", "msplink", "httpx", "httpcore", "msplink.sync"]
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in names]
    root = logging.getLogger()
    root.addHandler(capture)
    for logger, _ in saved:
        logger.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        for logger, level in saved:
            logger.setLevel(level)


def _provoke(world: World) -> None:
    """Errors of every kind on every platform (each builds messages from requests)."""
    for sandbox in (world.cw, world.qbo, world.sf):
        sandbox.faults.reseed(3)
        sandbox.faults.inject(FaultKind.TOKEN_EXPIRY, rate=0.2, times=2, path=API_PATHS)
        sandbox.faults.inject(FaultKind.RATE_LIMIT, rate=0.1, retry_after=1, path=API_PATHS)
        sandbox.faults.inject(FaultKind.SERVER_ERROR, rate=0.1, status=503, path=API_PATHS)
        sandbox.faults.inject(FaultKind.LOSE_RESPONSE, rate=0.1, method="POST", path=API_PATHS)


def _vcr_available() -> Any:
    return pytest.importorskip("vcr")


def test_no_secret_in_logs_reprs_errors_reports_state_or_cassettes(
    debug_logs: _Capture, tmp_path: Path
) -> None:
    vcr = _vcr_available()
    from msplink.testing import vcr_config

    world = seed_world(30, seed=8)
    _provoke(world)
    # MockTransports over the sandboxes: vcrpy records what goes through them (tokens requests too)
    recorded = {
        name: httpx.MockTransport(sandbox.transport().handle_request)
        for name, sandbox in (("cw", world.cw), ("qbo", world.qbo), ("sf", world.sf))
    }
    a = auths(world, qbo_transport=httpx.MockTransport(world.qbo.transport().handle_request))
    path = tmp_path / "state.db"
    state = SQLiteStateStore(path)
    texts: list[str] = []
    cassette = tmp_path / "run.yaml"
    recorder = vcr.VCR(**{k: v for k, v in vcr_config().items() if k != "match_on"})
    with recorder.use_cassette(str(cassette), record_mode="all"), sync_clients(world, a, recorded) as c:
        for name, recipe in sorted(RECIPES.items()):
            offered = {
                "cw": c.cw, "qbo": c.qbo, "sf": c.sf, "state": state, "config": world.config,
                "now": world.clock.now, "cw_integration_user": INTEGRATION_USER,
            }  # fmt: skip
            try:
                report = recipe.run(**kwargs_for(recipe.run, offered))
            except MsplinkError as exc:
                texts += [str(exc), repr(exc), repr(exc.__cause__)]
                continue
            texts += [str(report), repr(report), str(report.to_dict())]
            texts += [f"{f.error!s} {f.error!r} {f.message}" for f in report.failures]
            texts.append(name)
        probes: tuple[Callable[[], object], ...] = (
            lambda: c.qbo.customers.get("999999"),
            lambda: c.cw.companies.get(999_999),
        )
        for probe in probes:
            try:
                probe()
            except MsplinkError as exc:
                texts += [str(exc), repr(exc), repr(vars(exc))]
        texts += [repr(c.cw), repr(c.qbo), repr(c.sf), str(c.cw), repr(a.qbo), repr(a.sf), repr(a.store)]
        texts += [repr(a.store.load()), str(a.store.load())]
    state.close()
    last = a.store.load()
    assert last is not None
    secrets = _secrets(world) | {last.access_token, last.refresh_token}
    assert debug_logs.lines, "DEBUG logging produced nothing"
    assert any(line.startswith("httpx") for line in debug_logs.lines), "httpx logged nothing at DEBUG"
    haystacks = {
        "log": "\n".join(debug_logs.lines),
        "texts": "\n".join(texts),
        "state": b"".join(p.read_bytes() for p in tmp_path.glob("state.db*")).decode("latin-1"),
        "cassette": cassette.read_text(encoding="utf-8", errors="replace") if cassette.exists() else "",
    }
    assert haystacks["cassette"].count("request:") >= 10, "nothing was recorded"
    assert len(secrets) >= 6 and all(len(secret) >= 8 for secret in secrets)
    leaks = {
        (where, secret[:6] + "...")
        for where, text in haystacks.items()
        for secret in secrets
        if secret in text
    }
    assert leaks == set()
    assert "Bearer ey" not in haystacks["cassette"] and "Basic " not in haystacks["cassette"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_and_token_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = SQLiteStateStore(tmp_path / "state.db")
        store.watermark("anything")
        files = sorted(tmp_path.glob("state.db*"))
        assert files and all(_mode(p) == 0o600 for p in files), {p.name: oct(_mode(p)) for p in files}
        store.close()
        tokens = QboFileTokenStore(tmp_path / "qbo-token.json")
        world = seed_world(3, seed=1)
        creds = world.qbo.credentials()
        tokens.save(OAuthToken(access_token=creds["access_token"], refresh_token=creds["refresh_token"],
                               expires_at=world.clock.now(), realm_id=creds["realm_id"]))  # fmt: skip
        written = [p for p in tmp_path.iterdir() if p.name.startswith("qbo-token")]
        assert written and all(_mode(p) == 0o600 for p in written), {p.name: oct(_mode(p)) for p in written}
    finally:
        os.umask(old)
