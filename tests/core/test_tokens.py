"""The token-store family, the renewal locks and ``TokenAuth`` (msplink._core), vendor-neutral.

Scenarios of probes/token_file_store_permissions.py (0600, a pre-existing 0644 file, a symlinked path,
corrupt files) plus the locks that make renewal single-flight across threads, tasks, loops and processes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import stat
import threading
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import (
    FileLock,
    FileTokenStore,
    FlightLock,
    MemoryTokenStore,
    TokenAuth,
    TokenLock,
    TokenStore,
    arun_flow,
    oauth_details,
    optional_datetime,
    require_text,
    run_flow,
    token_endpoint_error,
    trusted_origin,
)
from msplink.errors import (
    AuthenticationError,
    ConfigurationError,
    ReauthorizationRequiredError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)

SECRET = "s3cr3t-REFRESH-value"


@attrs.frozen
class Toy:
    """A token type for the generic stores."""

    value: str = attrs.field(repr=False)
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "at": self.at.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Toy:
        at = optional_datetime(data, "at")
        if at is None:
            raise ConfigurationError("field 'at' must be an ISO 8601 datetime")
        return cls(value=require_text(data, "value"), at=at)


TOY = Toy(value=SECRET, at=datetime(2026, 1, 1, tzinfo=timezone.utc))


def toy_store(path: Path | str) -> FileTokenStore[Toy]:
    return FileTokenStore(path, decode=Toy.from_dict, encode=Toy.to_dict)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# ------------------------------------------------------------------------------------------ FlightLock


def test_flight_lock_excludes_threads_and_tasks_on_two_loops_together() -> None:
    lock = FlightLock()
    inside = 0
    most = 0
    total = 0
    guard = threading.Lock()
    start = threading.Barrier(8 + 2)

    def enter() -> None:
        nonlocal inside, most, total
        with guard:
            inside += 1
            most = max(most, inside)
            total += 1

    def leave() -> None:
        nonlocal inside
        with guard:
            inside -= 1

    def thread() -> None:
        start.wait()
        lock.acquire()
        try:
            enter()
            time.sleep(0.001)
            leave()
        finally:
            lock.release()

    def loop() -> None:
        async def task() -> None:
            await lock.acquire_async()
            try:
                enter()
                await asyncio.sleep(0.001)
                leave()
            finally:
                lock.release()

        async def main() -> None:
            start.wait()
            await asyncio.gather(*(task() for _ in range(8)))

        asyncio.run(main())

    threads = [threading.Thread(target=thread) for _ in range(8)] + [
        threading.Thread(target=loop) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (most, total, lock.locked(), lock.waiting) == (1, 24, False, 0)


def test_flight_lock_hands_over_first_come_first_served() -> None:
    lock = FlightLock()
    order: list[str] = []
    lock.acquire()

    def thread(name: str) -> None:
        lock.acquire()
        order.append(name)
        lock.release()

    async def task(name: str) -> None:
        await lock.acquire_async()
        order.append(name)
        lock.release()

    def loop() -> None:
        asyncio.run(task("task"))

    first = threading.Thread(target=thread, args=("thread-1",))
    first.start()
    while lock.waiting < 1:
        time.sleep(0.001)
    second = threading.Thread(target=loop)
    second.start()
    while lock.waiting < 2:
        time.sleep(0.001)
    third = threading.Thread(target=thread, args=("thread-2",))
    third.start()
    while lock.waiting < 3:
        time.sleep(0.001)
    lock.release()
    for t in (first, second, third):
        t.join()
    assert order == ["thread-1", "task", "thread-2"] and not lock.locked()


def test_a_cancelled_waiter_leaves_the_queue() -> None:
    lock = FlightLock()

    async def main() -> None:
        await lock.acquire_async()
        waiter = asyncio.create_task(lock.acquire_async())
        await asyncio.sleep(0)
        assert lock.waiting == 1
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert lock.waiting == 0
        lock.release()

    asyncio.run(main())
    assert not lock.locked()


def test_a_waiter_cancelled_as_the_lock_reaches_it_passes_it_on() -> None:
    lock = FlightLock()
    got: list[str] = []

    async def second() -> None:
        await lock.acquire_async()
        got.append("second")
        lock.release()

    async def main() -> None:
        await lock.acquire_async()
        first = asyncio.create_task(lock.acquire_async())
        then = asyncio.create_task(second())
        await asyncio.sleep(0)
        assert lock.waiting == 2
        lock.release()  # handed to `first` (resolution scheduled) ...
        first.cancel()  # ... which is cancelled before it runs: it must pass the lock to `then`
        with pytest.raises(asyncio.CancelledError):
            await first
        await then

    asyncio.run(main())
    assert got == ["second"] and not lock.locked()


def test_a_waiter_whose_event_loop_closed_is_skipped() -> None:
    lock = FlightLock()
    lock.acquire()
    loop = asyncio.new_event_loop()
    task = loop.create_task(lock.acquire_async())
    loop.run_until_complete(asyncio.sleep(0))
    assert lock.waiting == 1
    loop.close()
    lock.release()
    assert not lock.locked() and lock.waiting == 0
    task._log_destroy_pending = False  # type: ignore[attr-defined]  # its loop is gone on purpose
    task.get_coro().close()  # what garbage collection would do: the abandoned waiter leaves quietly
    assert not lock.locked()


def test_releasing_an_unlocked_flight_lock_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        FlightLock().release()
    assert isinstance(FlightLock(), TokenLock)


# -------------------------------------------------------------------------------------------- FileLock


def test_file_locks_of_one_path_exclude_each_other(tmp_path: Path) -> None:
    one, two = FileLock(tmp_path / "t.lock"), FileLock(tmp_path / "t.lock")
    events: list[str] = []
    one.acquire()

    def other() -> None:
        two.acquire()
        events.append("two")
        two.release()

    thread = threading.Thread(target=other)
    thread.start()
    time.sleep(0.05)
    events.append("one releases")
    one.release()
    thread.join()
    assert events == ["one releases", "two"]
    assert mode(tmp_path / "t.lock") == 0o600


def test_an_async_holder_polls_without_blocking_its_loop(tmp_path: Path) -> None:
    one, two = FileLock(tmp_path / "t.lock", poll_interval=0.005), FileLock(tmp_path / "t.lock")
    one.acquire()
    ticks = 0

    async def main() -> None:
        nonlocal ticks

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        ticking = asyncio.create_task(ticker())
        waiter = asyncio.create_task(two.acquire_async())
        await asyncio.sleep(0.05)
        assert not waiter.done()
        one.release()
        await waiter
        two.release()
        ticking.cancel()

    asyncio.run(main())
    assert ticks >= 3  # the event loop kept running while the file lock was held elsewhere


def _count_under_lock(path: str, times: int) -> None:
    lock = FileLock(path + ".lock")
    for _ in range(times):
        lock.acquire()
        try:
            value = int(Path(path).read_text())
            time.sleep(0.0005)  # widen the read-modify-write window
            Path(path).write_text(str(value + 1))
        finally:
            lock.release()


def test_file_lock_holds_across_processes(tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count_under_lock, args=(str(counter), 25)) for _ in range(3)]
    for worker in workers:
        worker.start()
    _count_under_lock(str(counter), 25)
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert counter.read_text() == "100"  # no lost update


def test_a_symlinked_lock_file_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "t.lock").symlink_to(victim)
    lock = FileLock(tmp_path / "t.lock")
    with pytest.raises(ConfigurationError, match=r"t\.lock"):
        lock.acquire()
    assert victim.read_text() == "keep"
    with pytest.raises(ConfigurationError):
        asyncio.run(lock.acquire_async())
    assert not lock._flight.locked()  # the in-process half was given back


# -------------------------------------------------------------------------------------------- stores


def test_memory_store_counts_saves_and_hides_the_token() -> None:
    store: MemoryTokenStore[Toy] = MemoryTokenStore()
    assert store.load() is None and isinstance(store, TokenStore) and isinstance(store.lock, TokenLock)
    store.save(TOY)
    assert store.load() == TOY and store.saves == 1
    assert SECRET not in repr(store) and repr(store) == "MemoryTokenStore(has_token=True, saves=1)"


def test_file_store_round_trip_private_atomic(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "token.json"
    store = toy_store(path)
    assert store.load() is None and isinstance(store, TokenStore)
    store.save(TOY)
    assert store.load() == TOY
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["token.json"]
    assert SECRET not in repr(store)


def test_file_store_expands_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    store = toy_store("~/tokens/toy.json")
    store.save(TOY)
    assert store.path == tmp_path / "tokens" / "toy.json" and store.load() == TOY


def test_a_world_readable_token_file_is_tightened_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "token.json"
    path.write_text(json.dumps(TOY.to_dict()))
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING, logger="msplink"):
        assert toy_store(path).load() == TOY
    assert mode(path) == 0o600
    assert [r.getMessage() for r in caplog.records if r.name == "msplink"] == [
        f"token file {path} was readable by other users; its mode is now 0600"
    ]
    assert SECRET not in caplog.text


def test_a_symlinked_token_path_is_replaced_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("DO NOT CLOBBER\n")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    toy_store(link).save(TOY)
    assert victim.read_text() == "DO NOT CLOBBER\n"
    assert not link.is_symlink() and mode(link) == 0o600 and toy_store(link).load() == TOY
    elsewhere = tmp_path / "elsewhere.json"
    toy_store(elsewhere).save(TOY)
    (tmp_path / "link2.json").symlink_to(elsewhere)
    assert toy_store(tmp_path / "link2.json").load() == TOY  # reading follows a link


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "not JSON"),
        (b"{oops", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (b"[1]", "JSON array, not an object"),
        (b"null", "JSON null, not an object"),
        (b"{}", "field 'at' must be an ISO 8601 datetime"),
        (b'"token"', "JSON string, not an object"),
        (json.dumps({"value": SECRET}).encode(), "field 'at' must be an ISO 8601 datetime"),
        (
            json.dumps({"value": SECRET, "at": "yesterday"}).encode(),
            "field 'at' must be an ISO 8601 datetime",
        ),
        (
            json.dumps({"value": 5, "at": "2026-01-01T00:00:00Z"}).encode(),
            "field 'value' must be a non-empty string",
        ),
    ],
    ids=[
        "empty",
        "not-json",
        "not-utf8",
        "deep",
        "list",
        "null",
        "empty-object",
        "string",
        "no-date",
        "bad-date",
        "int",
    ],
)
def test_a_corrupt_token_file_is_a_configuration_error_naming_the_file(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "token.json"
    path.write_bytes(content)
    with pytest.raises(ConfigurationError) as info:
        toy_store(path).load()
    assert str(info.value) == f"token file {path} does not hold a valid token: {why}"
    assert SECRET not in str(info.value) and info.value.__cause__ is None


def test_a_token_path_that_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(ConfigurationError, match=r"dir\.json cannot be read"):
        toy_store(tmp_path / "dir.json").load()
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.json"
        toy_store(locked).save(TOY)
        os.chmod(locked, 0)
        with pytest.raises(ConfigurationError, match=r"locked\.json cannot be read \(Permission denied\)"):
            toy_store(locked).load()


@settings(max_examples=150)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_raise_configuration_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "token.json"
    path.write_bytes(data)
    try:
        token = toy_store(path).load()
    except ConfigurationError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(token, Toy)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150)
@given(
    st.dictionaries(
        st.sampled_from(["value", "at", "other"]),
        JSON | st.sampled_from(["2026-01-01T00:00:00+02:00", "2026-01-01", "x"]),
    )
)
def test_any_json_object_loads_or_raises_configuration_error(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "token.json"
    path.write_text(json.dumps(data))
    try:
        token = toy_store(path).load()
    except ConfigurationError:
        return
    assert token is not None and token.at.tzinfo is not None


# ------------------------------------------------------------------------------------------ TokenAuth

TOKEN_URL = "https://auth.example/token"
API_URL = "https://api.example/thing"


class ToyAuth(TokenAuth[str]):
    """A bearer token kept in a store; ``expired`` is never fresh; the grant is the stored value."""

    platform = "toy"

    def __init__(self, store: MemoryTokenStore[str]) -> None:
        super().__init__(store=store)
        self.store = store

    def _current(self) -> str | None:
        return self.store.load()

    def _is_fresh(self, token: str) -> bool:
        return not token.startswith("expired")

    def _renewal_request(self, current: str | None) -> httpx.Request:
        return httpx.Request("POST", TOKEN_URL, data={"grant": current or ""})

    def _accept(self, response: httpx.Response, current: str | None) -> str:
        if response.status_code != 200:
            details = oauth_details(response)
            raise token_endpoint_error(
                "toy", response, details, path="/token", reauthorize=details[0].code == "invalid_grant"
            )
        token = str(response.json()["access_token"])
        self.store.save(token)
        return token

    def _authorize(self, request: httpx.Request, token: str) -> None:
        request.headers["Authorization"] = f"Bearer {token}"

    def _grant_key(self, current: str | None) -> str | None:
        return current


class TokenServer:
    """A MockTransport handler: the API accepts ``Bearer fresh-*``; the token endpoint answers in turn."""

    def __init__(self, *replies: httpx.Response | Exception, hold_until_waiting: int = 0) -> None:
        self.replies = list(replies)
        self.token_requests = 0
        self.api_requests = 0
        self.hold = hold_until_waiting
        self.auth: ToyAuth | None = None
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.example":
            with self._lock:
                self.token_requests += 1
                reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
            deadline = time.monotonic() + 10
            while (
                self.auth is not None
                and self.auth._flight.waiting < self.hold
                and time.monotonic() < deadline
            ):
                time.sleep(0.002)
            self.hold = 0
            if isinstance(reply, Exception):
                raise reply
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        with self._lock:
            self.api_requests += 1
        ok = request.headers.get("Authorization", "").startswith("Bearer fresh")
        return httpx.Response(200 if ok else 401, json={})


def token(value: str) -> httpx.Response:
    return httpx.Response(200, json={"access_token": value})


def refused(status: int, error: str) -> httpx.Response:
    return httpx.Response(
        status, json={"error": error, "error_description": f"{error} ({SECRET[:0]}no detail)"}
    )


def crowd(auth: ToyAuth, server: TokenServer, n: int) -> list[str]:
    """n threads call the API at once; return each outcome's class name (or ok)."""
    server.auth = auth
    client = httpx.Client(transport=httpx.MockTransport(server), auth=auth)
    outcomes: list[str] = []
    guard = threading.Lock()
    start = threading.Barrier(n)

    def call() -> None:
        start.wait()
        try:
            client.get(API_URL).raise_for_status()
        except Exception as exc:
            with guard:
                outcomes.append(type(exc).__name__)
        else:
            with guard:
                outcomes.append("ok")

    threads = [threading.Thread(target=call) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_a_definitive_refusal_is_shared_with_every_waiter() -> None:
    auth = ToyAuth(MemoryTokenStore("expired-1"))
    server = TokenServer(refused(400, "invalid_client"), hold_until_waiting=4)
    assert crowd(auth, server, 5) == ["AuthenticationError"] * 5
    assert server.token_requests == 1 and server.api_requests == 0 and auth.token_requests == 1


def test_a_transient_failure_is_not_shared_the_next_waiter_tries() -> None:
    auth = ToyAuth(MemoryTokenStore("expired-1"))
    server = TokenServer(refused(503, "unavailable"), token("fresh-2"), hold_until_waiting=4)
    assert crowd(auth, server, 5) == ["ServerError", "ok", "ok", "ok", "ok"]
    assert server.token_requests == 2 and auth.store.load() == "fresh-2"


def test_a_revoked_grant_fails_fast_until_the_store_changes() -> None:
    store = MemoryTokenStore("expired-1")
    auth = ToyAuth(store)
    server = TokenServer(refused(400, "invalid_grant"), hold_until_waiting=4)
    assert crowd(auth, server, 5) == ["ReauthorizationRequiredError"] * 5
    assert crowd(auth, server, 3) == ["ReauthorizationRequiredError"] * 3
    assert server.token_requests == 1  # nobody asked again
    store.save("expired-2")  # a user authorised again
    server.replies = [token("fresh-3")]
    assert crowd(auth, server, 3) == ["ok"] * 3
    assert server.token_requests == 2


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("down"), httpx.ReadTimeout("slow"), httpx.DecodingError("not gzip")],
    ids=["connect", "timeout", "decoding"],
)
def test_a_token_request_that_fails_in_flight_releases_the_locks(failure: Exception) -> None:
    store = MemoryTokenStore("expired-1")
    auth = ToyAuth(store)
    server = TokenServer(failure, token("fresh-2"))

    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        with pytest.raises(type(failure)):
            client.get(API_URL)
        assert isinstance(store.lock, FlightLock)
        assert not auth._flight.locked() and not store.lock.locked()
        assert client.get(API_URL).status_code == 200

    async def twice() -> int:
        store.save("expired-3")
        server.replies = [failure, token("fresh-4")]
        async with httpx.AsyncClient(transport=httpx.MockTransport(server), auth=auth) as client:
            with pytest.raises(type(failure)):
                await client.get(API_URL)
            return (await client.get(API_URL)).status_code

    assert asyncio.run(twice()) == 200
    assert not auth._flight.locked() and server.token_requests == 4


@pytest.mark.parametrize(
    ("failure", "error"),
    [(httpx.ConnectError("down"), TransportError), (httpx.ReadTimeout("slow"), RequestTimeoutError)],
)
def test_standalone_flows_raise_typed_transport_errors(failure: Exception, error: type[Exception]) -> None:
    auth = ToyAuth(MemoryTokenStore("expired-1"))

    def send(request: httpx.Request) -> httpx.Response:
        raise failure

    async def asend(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(error) as info:
        run_flow(auth._renewal(None, forced=True), send, platform="toy")
    # The reason and the host are kept (the message used to end at the exception's type name).
    assert str(info.value) == f"toy POST /token: {type(failure).__name__}: {failure} (host auth.example)"
    with pytest.raises(error):
        asyncio.run(arun_flow(auth._renewal(None, forced=True), asend, platform="toy"))
    assert not auth._flight.locked()


def test_token_endpoint_errors_by_status() -> None:
    def build(status: int, error: str, reauthorize: bool = False) -> Exception:
        response = refused(status, error)
        return token_endpoint_error(
            "toy", response, oauth_details(response), path="/t", reauthorize=reauthorize
        )

    assert type(build(500, "x")) is ServerError
    assert build(429, "x").__class__.__name__ == "RateLimitError"
    assert type(build(400, "invalid_grant", reauthorize=True)) is ReauthorizationRequiredError
    assert type(build(401, "invalid_client")) is AuthenticationError
    hostile = httpx.Response(400, content=b"[" * 50_000)
    assert oauth_details(hostile)[0].message == "token endpoint answered 400"


# -------------------------------------------------------------------------------------- trusted_origin

SF = ("salesforce.com",)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://acme.my.salesforce.com", "https://acme.my.salesforce.com"),
        ("https://ACME.my.salesforce.com/", "https://acme.my.salesforce.com"),
        ("https://acme--uat.sandbox.my.salesforce.com:443", "https://acme--uat.sandbox.my.salesforce.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),  # exactly the configured token origin
    ],
)
def test_trusted_origins(url: str, origin: str) -> None:
    assert trusted_origin(url, domains=SF, origins=("http://127.0.0.1:8080/services/oauth2/token",)) == origin


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example",
        "http://acme.my.salesforce.com",
        "https://acme.my.salesforce.com.evil.example",
        "https://evilsalesforce.com",
        "https://salesforce.com",
        "https://acme.my.salesforce.com:8443",
        "https://user:pw@acme.my.salesforce.com",
        "https://acme.my.salesforce.com/services",
        "https://acme.my.salesforce.com?x=1",
        "https://acme.my.salesforce.com#x",
        "https://10.0.0.1",
        "http://127.0.0.1:8081",
        "javascript:alert(1)",
        "//acme.my.salesforce.com",
        "",
        "https://",
        "https://acme.my.salesforce.com\r\nHost: evil",
    ],
)
def test_untrusted_origins(url: str) -> None:
    with pytest.raises(ValueError):
        trusted_origin(url, domains=SF, origins=("http://127.0.0.1:8080",))


@settings(max_examples=300)
@given(st.text(max_size=60) | st.builds(lambda s: f"https://{s}", st.text(max_size=40)))
def test_trusted_origin_returns_only_https_vendor_hosts(url: str) -> None:
    try:
        origin = trusted_origin(url, domains=SF)
    except ValueError:
        return
    parsed = httpx.URL(origin)
    assert parsed.scheme == "https" and parsed.host.endswith(".salesforce.com") and parsed.port is None
