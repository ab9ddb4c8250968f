"""An in-memory reference implementation of the sync protocols, with fault injection.

:class:`MemorySystem` plays a SaaS platform: records with versions and change times on a ticking
clock, idempotency keys remembered for creates (like QBO ``requestid`` / SF upsert by external id),
optimistic concurrency on updates (a stale version is a ``ConflictError``), tombstones, an API-call
counter, and faults: lost responses (the write applies, the answer never arrives), 503s before
applying, per-item errors, and *crashes* (``Crash``, a ``BaseException``) at named points.

:class:`MemoryAdapter` is one object of one system as a :class:`~msplink.sync.Source` and
:class:`~msplink.sync.Target`; :class:`AsyncMemoryAdapter` is its async twin. A system can be saved
to and loaded from a JSON file, so a child process killed with SIGKILL leaves the "remote" data
behind exactly as a real platform would.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs

from msplink.errors import (
    ConflictError,
    MappingError,
    MsplinkError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)
from msplink.models import Customer, ExternalRef
from msplink.sync import (
    Action,
    ChangePage,
    Intent,
    LookupRequest,
    RemoteRecord,
    WriteOp,
    WriteResult,
)
from msplink.sync._identity import domain_key, email_key, name_key

START = datetime(2026, 1, 1, tzinfo=timezone.utc)

FIELDS = {
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "website": "Web",
    "terms": "Terms",
    "notes": "Notes",
    "account_number": "Account",
}
"""Canonical Customer field -> wire field of the memory systems."""


class Crash(BaseException):
    """A simulated process death at a named point (not an Exception: nothing may catch it)."""


class MemorySystem:
    """One fake SaaS platform holding ``customer`` records."""

    def __init__(
        self, name: str, *, user: str = "msplink", path: str | os.PathLike[str] | None = None
    ) -> None:
        self.name = name
        self.user = user
        self.records: dict[str, dict[str, Any]] = {}
        self.tombstones: dict[str, datetime] = {}
        self.keys: dict[str, str] = {}
        self.next_id = 1
        self.clock = START
        self.calls: Counter[str] = Counter()
        self.crash_at: dict[str, int] = {}
        self.lose = 0
        self.fail_before = 0
        self.item_errors: dict[str, list[MsplinkError]] = {}
        self.write_error: MsplinkError | None = None
        self.chaos: random.Random | None = None
        self.chaos_rate = 0.0
        self.before_write: Callable[[], None] | None = None
        self.on_crash: Callable[[str], None] | None = None
        self.path = Path(path) if path is not None else None

    # --- people editing the system ---------------------------------------------------------

    def tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def add(self, *, by: str = "alice", **fields: Any) -> str:
        """A person creates a record; returns its id."""
        rid = str(self.next_id)
        self.next_id += 1
        record = {"Id": rid, "Version": "0", "Key": None, **{w: None for w in FIELDS.values()}}
        record.update({FIELDS.get(k, k): v for k, v in fields.items()})
        self.records[rid] = record
        self._touch(record, by)
        return rid

    def edit(self, rid: str, *, by: str = "alice", **fields: Any) -> None:
        """A person edits a record."""
        record = self.records[rid]
        record.update({FIELDS.get(k, k): v for k, v in fields.items()})
        self._touch(record, by)

    def remove(self, rid: str) -> None:
        """A person deletes a record."""
        del self.records[rid]
        self.tombstones[rid] = self.tick()
        self.save()

    def _touch(self, record: dict[str, Any], by: str) -> None:
        record["Version"] = str(int(record["Version"]) + 1)
        record["Updated"] = self.tick()
        record["ModifiedBy"] = by
        self.save()

    def by_name(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.records.values() if r["Name"] == name]

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every record as it is (ids, versions, values, keys), for exact comparisons."""
        return {
            rid: {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()}
            for rid, r in sorted(self.records.items())
        }

    # --- faults ----------------------------------------------------------------------------

    def crash(self, point: str, nth: int = 1) -> None:
        """Crash at the ``nth`` time ``point`` is reached."""
        self.crash_at[point] = nth

    def reached(self, point: str) -> None:
        if point in self.crash_at:
            self.crash_at[point] -= 1
            if self.crash_at[point] <= 0:
                del self.crash_at[point]
                self.save()
                if self.on_crash is not None:
                    self.on_crash(point)
                raise Crash(point)

    def fail_item(self, name: str, *errors: MsplinkError) -> None:
        """The next writes of the record named ``name`` fail with these errors, in turn."""
        self.item_errors.setdefault(name, []).extend(errors)

    # --- persistence (for SIGKILL tests) ---------------------------------------------------

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "name": self.name,
            "records": self.snapshot(),
            "tombstones": {k: v.isoformat() for k, v in self.tombstones.items()},
            "keys": self.keys,
            "next_id": self.next_id,
            "clock": self.clock.isoformat(),
            "calls": dict(self.calls),
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True))
        os.replace(tmp, self.path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MemorySystem:
        data = json.loads(Path(path).read_text())
        system = cls(data["name"], path=path)
        system.records = {
            rid: {k: (datetime.fromisoformat(v) if k == "Updated" else v) for k, v in r.items()}
            for rid, r in data["records"].items()
        }
        system.tombstones = {k: datetime.fromisoformat(v) for k, v in data["tombstones"].items()}
        system.keys = data["keys"]
        system.next_id = data["next_id"]
        system.clock = datetime.fromisoformat(data["clock"])
        system.calls = Counter(data["calls"])
        return system


def _key_of(kind: str, record: dict[str, Any]) -> set[str]:
    if kind == "email":
        key = email_key(record["Email"])
        return {key} if key else set()
    if kind == "name":
        key = name_key(record["Name"])
        return {key} if key else set()
    if kind == "domain":
        keys = {domain_key(record["Web"]), domain_key(record["Email"])}
        return {k for k in keys if k}
    if kind.startswith("external_id:"):
        value = record.get(FIELDS.get(kind.split(":", 1)[1], ""))
        return {str(value)} if value else set()
    return set()


class MemoryAdapter:
    """One object of a :class:`MemorySystem` as a sync Source and Target."""

    def __init__(
        self,
        system: MemorySystem,
        *,
        object: str = "customer",
        page_size: int = 50,
        batch_size: int = 10,
        delete_feed: bool = False,
        integration_user: str | None = None,
        plan_records: int | None = None,
    ) -> None:
        self.memory = system
        self.plan_records = plan_records
        """As a target: source records the engine plans together (``None``: one source page)."""
        self._object = object
        self.page_size = page_size
        self._batch_size = batch_size
        self.delete_feed = delete_feed
        self._integration_user = integration_user

    @property
    def system(self) -> str:
        return self.memory.name

    @property
    def object(self) -> str:
        return self._object

    @property
    def integration_user(self) -> str | None:
        return self._integration_user

    @property
    def has_delete_feed(self) -> bool:
        return self.delete_feed

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def api_calls(self) -> dict[str, int]:
        return {self.memory.name: sum(self.memory.calls.values())}

    def _call(self, kind: str) -> None:
        self.memory.calls[kind] += 1
        self.memory.reached(kind)

    def _remote(self, record: dict[str, Any]) -> RemoteRecord:
        return RemoteRecord(
            id=record["Id"],
            version=record["Version"],
            updated_at=record["Updated"],
            data=copy.deepcopy(record),
            modified_by=record.get("ModifiedBy"),
            key=record.get("Key"),
        )

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        self._call("read")
        rows = [
            self._remote(r) for r in self.memory.records.values() if since is None or r["Updated"] >= since
        ]
        if self.delete_feed:
            rows += [
                RemoteRecord(id=rid, version=f"deleted-{at.isoformat()}", updated_at=at, deleted=True)
                for rid, at in self.memory.tombstones.items()
                if since is None or at >= since
            ]
        rows.sort(key=lambda r: (r.updated_at, r.id))
        offset = int(page_token or 0)
        end = offset + self.page_size
        return ChangePage(records=rows[offset:end], next_token=str(end) if end < len(rows) else None)

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        self._call("fetch")
        return [self._remote(self.memory.records[i]) for i in ids if i in self.memory.records]

    def list_ids(self) -> list[str]:
        self._call("list")
        return sorted(self.memory.records)

    def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        self._call("lookup")
        found: dict[str, dict[str, Any]] = {
            i: self.memory.records[i] for i in request.ids if i in self.memory.records
        }
        for kind, keys in request.keys.items():
            wanted = set(keys)
            for rid, record in self.memory.records.items():
                if _key_of(kind, record) & wanted:
                    found[rid] = record
        return [self._remote(r) for _, r in sorted(found.items())]

    def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        memory = self.memory
        self._call("write")
        memory.reached("write_before")
        if memory.before_write is not None:
            hook, memory.before_write = memory.before_write, None
            hook()
        if memory.write_error is not None:
            raise memory.write_error
        chaos = memory.chaos
        if memory.fail_before > 0 or (chaos and chaos.random() < memory.chaos_rate):
            memory.fail_before = max(0, memory.fail_before - 1)
            raise ServerError(platform=memory.name, status_code=503, method="POST", path="/batch")
        results = []
        for n, op in enumerate(ops):
            if n == len(ops) // 2 and n > 0:
                memory.reached("write_mid")
            if chaos and chaos.random() < memory.chaos_rate:
                error = chaos.choice([RateLimitError, ServerError])(platform=memory.name, status_code=429)
                results.append(WriteResult(key=op.key, error=error))
                continue
            results.append(self._apply(op))
        memory.save()
        if chaos and chaos.random() < memory.chaos_rate:
            raise TransportError("connection dropped after the write", platform=memory.name)
        if memory.lose > 0:
            memory.lose -= 1
            raise TransportError("response lost", platform=memory.name, method="POST", path="/batch")
        memory.reached("write_after")
        return results

    def _apply(self, op: WriteOp) -> WriteResult:
        memory = self.memory
        name = (op.payload or {}).get("Name") if op.payload else None
        if op.action is not Action.CREATE and op.target_id in memory.records:
            name = name or memory.records[op.target_id]["Name"]
        queue = memory.item_errors.get(name or "")
        if queue:
            return WriteResult(key=op.key, error=queue.pop(0))
        if op.action is Action.CREATE:
            if op.key in memory.keys and memory.keys[op.key] in memory.records:
                existing = memory.records[memory.keys[op.key]]
                return WriteResult(key=op.key, id=existing["Id"], version=existing["Version"])
            rid = memory.add(by=memory.user, **{k: v for k, v in op.payload.items()})
            memory.records[rid]["Key"] = op.key
            memory.keys[op.key] = rid
            return WriteResult(key=op.key, id=rid, version=memory.records[rid]["Version"])
        record = memory.records.get(op.target_id or "")
        if record is None:
            return WriteResult(key=op.key, error=NotFoundError(platform=memory.name, status_code=404))
        if op.version is not None and record["Version"] != op.version:
            return WriteResult(key=op.key, error=ConflictError(platform=memory.name, status_code=409))
        if op.action is Action.DELETE:
            memory.remove(record["Id"])
            return WriteResult(key=op.key, id=record["Id"])
        wire = {FIELDS[c.path]: op.payload[FIELDS[c.path]] for c in op.changes if c.path in FIELDS}
        memory.edit(record["Id"], by=memory.user, **wire)
        return WriteResult(key=op.key, id=record["Id"], version=record["Version"])

    def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        self._call("settle")
        if self.memory.chaos and self.memory.chaos.random() < self.memory.chaos_rate:
            raise TransportError("connection dropped", platform=self.memory.name)
        out: list[RemoteRecord | None] = []
        for intent in intents:
            rid = self.memory.keys.get(intent.key)
            out.append(self._remote(self.memory.records[rid]) if rid in self.memory.records else None)
        return out


class AsyncMemoryAdapter:
    """The async twin of :class:`MemoryAdapter` (same system, awaited methods)."""

    def __init__(self, inner: MemoryAdapter) -> None:
        self.inner = inner

    system = property(lambda self: self.inner.system)
    object = property(lambda self: self.inner.object)
    integration_user = property(lambda self: self.inner.integration_user)
    has_delete_feed = property(lambda self: self.inner.has_delete_feed)
    batch_size = property(lambda self: self.inner.batch_size)
    plan_records = property(lambda self: self.inner.plan_records)
    api_calls = property(lambda self: self.inner.api_calls)

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        return self.inner.read_changes(since, page_token)

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        return self.inner.fetch(ids)

    async def list_ids(self) -> list[str]:
        return self.inner.list_ids()

    async def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        return self.inner.lookup(request)

    async def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        return self.inner.write(ops)

    async def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        return self.inner.settle(intents)


# ----------------------------------------------------------------------------------- mappers

COMPARED = frozenset(FIELDS)


@attrs.frozen
class SimpleMapper:
    """A mapper pair like ``msplink.mappers.Mapper`` rows (to_canonical, from_canonical, reads, writes)."""

    to_canonical: Callable[[Any, Any], Any]
    from_canonical: Callable[[Any, Any], Any]
    reads: frozenset[str] = COMPARED
    writes: frozenset[str] = COMPARED


def customer_mapper(system: str) -> SimpleMapper:
    """Wire dict <-> canonical Customer for one memory system.

    Names starting with ``!`` fail to map; ``Terms`` must be listed in ``config["terms"]`` when a
    config is given (the Fyle-style "mapping missing" case).
    """

    def to_canonical(wire: dict[str, Any], config: Any) -> Customer:
        name = wire.get("Name") or ""
        if name.startswith("!"):
            raise MappingError("Customer.name", "names starting with '!' cannot be mapped", value=name)
        terms = wire.get("Terms")
        if terms is not None and config is not None and terms not in config.get("terms", ()):
            raise MappingError("Customer.terms", "no mapping for these billing terms", value=terms)
        return Customer(
            refs=ExternalRef(system, "customer", wire["Id"], wire.get("Version")),
            updated_at=wire.get("Updated"),
            name=name,
            email=wire.get("Email"),
            phone=wire.get("Phone"),
            website=wire.get("Web"),
            terms=terms,
            notes=wire.get("Notes"),
            account_number=wire.get("Account"),
        )

    def from_canonical(customer: Customer, config: Any) -> dict[str, Any]:
        if customer.notes == "!unwritable":
            raise MappingError("Customer.notes", "this note cannot be written", value=customer.notes)
        return {
            "Name": customer.name,
            "Email": customer.email,
            "Phone": customer.phone,
            "Web": customer.website,
            "Terms": customer.terms,
            "Notes": customer.notes,
            "Account": customer.account_number,
        }

    return SimpleMapper(to_canonical, from_canonical)
