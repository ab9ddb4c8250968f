"""Child process of the crash-resume suite: run any registered recipe once and die at a point.

``python -m tests.reliability._crash_child WORKDIR`` reads ``WORKDIR/run.json``: the recipe's name, the
URLs of the three sandboxes the parent serves over real sockets, their credentials, the mapping config,
the world's clock, and the point (``POINT`` and ``NTH``). It opens ``WORKDIR/state.db`` and runs the
recipe; the ``NTH`` time the point is reached it sends itself SIGKILL. Exit code 3: never reached.

Points (reached through wrappers around the transports and the state store, as in
``tests/sync/_sigkill_recipe_child.py``, whose ``Trap`` and ``Wrapped`` this reuses):

- ``<system>.send``: an API request to ``cw``, ``qbo`` or ``sf`` is about to be sent;
- ``<system>.answered``: an API request was served (a write applied) and its answer dies with the
  process;
- ``store.<method>:before|after``: a state store method (``journal``, ``commit``, ``record_run``).

:func:`counting` gives the same wrappers in counting mode, so the parent learns how often each point
is reached in an uninterrupted run and draws its kill points from those counts.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sync import SQLiteStateStore, StateStore
from msplink.sync.recipes import RECIPES
from tests.sync._sigkill_recipe_child import Redirect, Trap, Wrapped

API = re.compile(r"/(apis/3\.0|v3/company|services/data)/")
STORE_METHODS = ("journal", "commit", "record_run")

Reach = Callable[[str], None]


class Points(httpx.BaseTransport):
    """A transport that reaches ``<system>.send`` before and ``<system>.answered`` after every API request."""

    def __init__(self, inner: httpx.BaseTransport, system: str, reach: Reach) -> None:
        self.inner = inner
        self.system = system
        self.reach = reach

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        api = API.search(request.url.path) is not None
        if api:
            self.reach(f"{self.system}.send")
        response = self.inner.handle_request(request)
        if api:
            response.read()
            self.reach(f"{self.system}.answered")
        return response

    def close(self) -> None:
        self.inner.close()


def wrap_store(inner: StateStore, reach: Reach) -> Any:
    """The store, its engine methods reaching ``store.<method>:before`` and ``:after``."""

    def around(name: str) -> Callable[[Any], Any]:
        def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                reach(f"store.{name}:before")
                result = method(*args, **kwargs)
                reach(f"store.{name}:after")
                return result

            return call

        return wrap

    return Wrapped(inner, {name: around(name) for name in STORE_METHODS})


class Counting:
    """Counts every point reached (the parent's uninterrupted run)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, point: str) -> None:
        self.counts[point] += 1


def run_recipe(
    name: str, clients: dict[str, Any], state: Any, config: MappingConfig, now: Any, user: str
) -> Any:
    """Run recipe ``name`` with the conventional keyword arguments it accepts."""
    import inspect

    recipe = RECIPES[name]
    offered = {**clients, "state": state, "config": config, "now": now, "cw_integration_user": user}
    accepted = inspect.signature(recipe.run).parameters
    return recipe.run(**{k: v for k, v in offered.items() if k in accepted})


def main(argv: list[str]) -> int:
    workdir = Path(argv[0])
    spec = json.loads((workdir / "run.json").read_text(encoding="utf-8"))
    trap = Trap(spec["point"], int(spec["nth"]))
    none = lambda _s: None  # noqa: E731 - the served world's clock does not move; nothing waits
    creds = spec["credentials"]
    cw = ConnectWiseClient(
        **creds["cw"], transport=Points(Redirect(spec["urls"]["cw"]), "cw", trap.reach), sleep=none
    )
    qbo = QuickBooksClient(
        realm_id=spec["realm_id"],
        auth=creds["qbo"]["access_token"],
        transport=Points(Redirect(spec["urls"]["qbo"]), "qbo", trap.reach),
        sleep=none,
    )
    sf = SalesforceClient(
        auth=ClientCredentialsAuth(
            client_id=creds["sf"]["client_id"], client_secret=creds["sf"]["client_secret"]
        ),
        transport=Points(Redirect(spec["urls"]["sf"]), "sf", trap.reach),
        sleep=none,
    )
    moment = datetime.fromisoformat(spec["now"])
    store = wrap_store(SQLiteStateStore(workdir / "state.db"), trap.reach)
    run_recipe(
        spec["recipe"], {"cw": cw, "qbo": qbo, "sf": sf}, store, MappingConfig.from_dict(spec["config"]),
        lambda: moment, spec["integration_user"],
    )  # fmt: skip
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
