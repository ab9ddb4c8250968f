"""Child process of the recipe SIGKILL tests: run a recipe once and die at a point.

``python -m tests.sync._sigkill_recipe_child WORKDIR POINT NTH`` reads ``WORKDIR/run.json`` (the URLs
of the ConnectWise and QuickBooks sandboxes served by the parent over real sockets, their credentials,
the mapping config and the world's clock; optionally ``recipe``, a name in ``RECIPES`` (default
``companies_and_customers``), and ``options``, its own keyword arguments), opens ``WORKDIR/state.db``
and runs the recipe; the
``NTH`` time the named point is reached it sends itself SIGKILL. Exit code 3: the point was never
reached.

The points are reached through a harness wrapped around the clients and the state store (no hook in
msplink itself):

- ``cw.read``: a ``GET /company/companies`` read is about to be sent;
- ``cw.create:after`` / ``cw.update:after``: a ConnectWise create / update was applied and its answer
  is lost with the process;
- ``qbo.read``: a CDC or query read of customers (changes, or the look-ups' key index) is about to
  be sent;
- ``qbo.lookup`` / ``qbo.write:before`` / ``qbo.write:after``: a ``/batch`` of queries, or of writes
  before it is sent / after it was applied;
- ``store.<method>:before|after``: a state store method (``journal``, ``commit``, ``record_run``).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sync import SQLiteStateStore
from msplink.sync.adapters import _base as adapter_base
from msplink.sync.recipes import RECIPES


class Redirect(httpx.BaseTransport):
    """Send every request to the served sandbox (whatever host the client was configured with)."""

    def __init__(self, base: str) -> None:
        self.base = httpx.URL(base)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class Trap:
    """Counts the points reached; SIGKILL at the armed one."""

    def __init__(self, point: str, nth: int) -> None:
        self.point = point
        self.left = nth

    def reach(self, point: str) -> None:
        if point != self.point:
            return
        self.left -= 1
        if self.left == 0:
            os.kill(os.getpid(), signal.SIGKILL)


class Wrapped:
    """A proxy whose named methods pass through ``trap`` before (and after) the real call."""

    def __init__(self, inner: Any, hooks: dict[str, Callable[[Any], Any]]) -> None:
        self._inner = inner
        self._hooks = hooks

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        hook = self._hooks.get(name)
        return hook(value) if hook is not None else value


def _around(trap: Trap, point: str, *, before: bool = True, after: bool = False) -> Any:
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if before:
                trap.reach(point if not after else f"{point}:before")
            result = method(*args, **kwargs)
            if after:
                trap.reach(f"{point}:after")
            return result

        return call

    return wrap


def _batch(trap: Trap) -> Any:
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(operations: Any, *args: Any, **kwargs: Any) -> Any:
            ops = list(operations)
            writes = any(op.statement is None for op in ops)
            trap.reach("qbo.write:before" if writes else "qbo.lookup")
            result = method(ops, *args, **kwargs)
            if writes:
                trap.reach("qbo.write:after")
            return result

        return call

    return wrap


def clients(spec: dict[str, Any], trap: Trap) -> tuple[Any, Any]:
    """The two clients over HTTP, each wrapped in the trap."""
    cw = ConnectWiseClient(**spec["cw"], transport=Redirect(spec["cw_url"]), sleep=lambda _s: None)
    qbo = QuickBooksClient(
        realm_id=spec["realm_id"],
        auth=spec["qbo_token"],
        transport=Redirect(spec["qbo_url"]),
        sleep=lambda _s: None,
    )
    companies = Wrapped(
        cw.companies,
        {
            "list": _around(trap, "cw.read"),
            "create": _around(trap, "cw.create", before=False, after=True),
            "update": _around(trap, "cw.update", before=False, after=True),
        },
    )
    customers = Wrapped(qbo.customers, {"list": _around(trap, "qbo.read")})
    wrapped_cw = Wrapped(cw, {"companies": lambda _v: companies})
    wrapped_qbo = Wrapped(
        qbo,
        {"customers": lambda _v: customers, "cdc": _around(trap, "qbo.read"), "batch": _batch(trap)},
    )
    return wrapped_cw, wrapped_qbo


def store(path: Path, trap: Trap) -> Any:
    """The SQLite state store, its engine methods passing through the trap."""
    inner = SQLiteStateStore(path)
    hooks = {
        name: _around(trap, f"store.{name}", after=True)
        for name in ("journal", "commit", "record_run", "pending")
    }
    return Wrapped(inner, hooks)


def main(argv: list[str]) -> int:
    workdir, point, nth = Path(argv[0]), argv[1], int(argv[2])
    spec = json.loads((workdir / "run.json").read_text(encoding="utf-8"))
    trap = Trap(point, nth)
    if "raw_cache" in spec:  # wire records kept for sparse updates: a small bound evicts on every page
        adapter_base.RAW_CACHE = int(spec["raw_cache"])
        adapter_base.AdapterBase.keeps_lookups = False
    cw, qbo = clients(spec, trap)
    moment = datetime.fromisoformat(spec["now"])
    recipe = RECIPES[spec.get("recipe", "companies_and_customers")].run
    recipe(
        cw=cw,
        qbo=qbo,
        state=store(workdir / "state.db", trap),
        config=MappingConfig.from_dict(spec["config"]),
        cw_integration_user=spec["integration_user"],
        now=lambda: moment,
        **spec.get("options", {}),
    )
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
