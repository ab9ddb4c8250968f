"""Child process of the CRM recipes' SIGKILL tests: run one recipe once and die at a point.

``python -m tests.sync.recipes._crm_child WORKDIR POINT NTH`` reads ``WORKDIR/run.json`` (the recipe's
name and options, the URLs of the ConnectWise and Salesforce sandboxes the parent serves over real
sockets, their credentials, the mapping config and the world's clock), opens ``WORKDIR/state.db`` and
runs the recipe; the ``NTH`` time the named point is reached it sends itself SIGKILL. Exit code 3: the
point was never reached.

It is the harness of ``tests/sync/_sigkill_recipe_child.py`` (``Redirect``, ``Trap``, ``Wrapped``,
``store``) around the two clients of the CRM recipes; the points:

- ``cw.read``: a ConnectWise list (a read of changes, a look-up, agreement additions) is about to go out;
- ``cw.create:after``: a ConnectWise create was applied and its answer is lost with the process;
- ``sf.read``: a SOQL query is about to go out;
- ``sf.write:before`` / ``sf.write:after``: a Salesforce collections write (create, upsert, update)
  before it is sent / after it was applied, its answer lost;
- ``store.<method>:before|after``: a state store method (``journal``, ``commit``, ``record_run``).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sync.recipes import RECIPES
from tests.sync._sigkill_recipe_child import Redirect, Trap, Wrapped, _around, store

CW_RESOURCES = ("companies", "contacts", "tickets", "projects", "invoices", "agreements")
SF_RESOURCES = ("accounts", "contacts", "opportunities", "cases", "tasks")
SF_WRITES = ("create_many", "update_many", "upsert_many", "save_many")


def _sf_hooks(trap: Trap) -> dict[str, Any]:
    hooks: dict[str, Any] = {"query": _around(trap, "sf.read"), "retrieve": _around(trap, "sf.read")}
    hooks.update({name: _around(trap, "sf.write", after=True) for name in SF_WRITES})
    return hooks


def clients(spec: dict[str, Any], trap: Trap) -> tuple[Any, Any]:
    """The two clients over HTTP, each wrapped in the trap."""
    cw = ConnectWiseClient(**spec["cw"], transport=Redirect(spec["cw_url"]), sleep=lambda _s: None)
    auth = ClientCredentialsAuth(client_id=spec["sf"]["client_id"], client_secret=spec["sf"]["client_secret"])
    sf = SalesforceClient(auth=auth, transport=Redirect(spec["sf_url"]), sleep=lambda _s: None)
    cw_hooks = {
        "list": _around(trap, "cw.read"),
        "create": _around(trap, "cw.create", before=False, after=True),
    }

    def children(method: Any) -> Any:  # agreements.additions(id), invoices.payments(id)
        return lambda parent: Wrapped(method(parent), cw_hooks)

    nested = {**cw_hooks, "additions": children, "payments": children}
    cw_wrapped = {name: Wrapped(getattr(cw, name), nested) for name in CW_RESOURCES}
    sf_wrapped = {name: Wrapped(getattr(sf, name), _sf_hooks(trap)) for name in SF_RESOURCES}

    def sobject(method: Any) -> Any:
        return lambda name: Wrapped(method(name), _sf_hooks(trap))

    wrapped_cw = Wrapped(cw, {name: _replace(r) for name, r in cw_wrapped.items()})
    wrapped_sf = Wrapped(sf, {"sobject": sobject, **{name: _replace(r) for name, r in sf_wrapped.items()}})
    return wrapped_cw, wrapped_sf


def _replace(value: Any) -> Any:
    """A hook that answers ``value`` instead of the attribute."""

    def hook(_original: Any) -> Any:
        return value

    return hook


def main(argv: list[str]) -> int:
    workdir, point, nth = Path(argv[0]), argv[1], int(argv[2])
    spec = json.loads((workdir / "run.json").read_text(encoding="utf-8"))
    trap = Trap(point, nth)
    cw, sf = clients(spec, trap)
    moment = datetime.fromisoformat(spec["now"])
    RECIPES[spec["recipe"]].run(
        cw=cw,
        sf=sf,
        state=store(workdir / "state.db", trap),
        config=MappingConfig.from_dict(spec["config"]),
        cw_integration_user=spec["integration_user"],
        now=lambda: moment,
        **spec.get("options", {}),
    )
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
