"""Child process of the CRM recipe SIGKILL tests: run ``accounts_and_contacts`` or
``leads_to_connectwise`` once and die at a point.

``python -m tests.sync.recipes._sigkill_crm_child WORKDIR POINT NTH`` reads ``WORKDIR/run.json`` (the
recipe, the URLs of the ConnectWise and Salesforce sandboxes served by the parent over real sockets,
their credentials, the mapping config and the world's clock), opens ``WORKDIR/state.db`` and runs the
recipe; the ``NTH`` time the named point is reached it sends itself SIGKILL. Exit code 3: the point
was never reached. The harness is the one of ``tests/sync/_sigkill_recipe_child.py`` (its trap,
proxies, redirecting transport and trapped state store), with the Salesforce client wrapped too:

- ``cw.read``: a ``GET /company/companies`` or ``/company/contacts`` read is about to be sent;
- ``cw.create:after`` / ``cw.update:after``: a ConnectWise create / update was applied and its answer
  is lost with the process;
- ``sf.write:before`` / ``sf.write:after``: a Salesforce collections write (create, upsert, update)
  about to be sent / applied with its answer lost;
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
from msplink.salesforce import AccessTokenAuth, SalesforceClient
from msplink.sync.recipes import accounts_and_contacts, leads_to_connectwise
from tests.sync._sigkill_recipe_child import Redirect, Trap, Wrapped, _around, store


def clients(spec: dict[str, Any], trap: Trap) -> tuple[Any, Any]:
    """The two clients over HTTP, their resources wrapped in the trap."""
    cw = ConnectWiseClient(**spec["cw"], transport=Redirect(spec["cw_url"]), sleep=lambda _s: None)
    sf = SalesforceClient(
        auth=AccessTokenAuth(access_token=spec["sf_token"], instance_url=spec["sf_instance"]),
        transport=Redirect(spec["sf_url"]),
        sleep=lambda _s: None,
    )
    cw_hooks = {
        "list": _around(trap, "cw.read"),
        "create": _around(trap, "cw.create", before=False, after=True),
        "update": _around(trap, "cw.update", before=False, after=True),
    }
    sf_hooks = {
        name: _around(trap, "sf.write", before=True, after=True)
        for name in ("create_many", "upsert_many", "update_many", "save_many")
    }
    wrapped_cw = Wrapped(cw, {name: (lambda v: Wrapped(v, cw_hooks)) for name in ("companies", "contacts")})
    wrapped_sf = Wrapped(
        sf, {name: (lambda v: Wrapped(v, sf_hooks)) for name in ("accounts", "contacts", "leads")}
    )
    return wrapped_cw, wrapped_sf


def main(argv: list[str]) -> int:
    workdir, point, nth = Path(argv[0]), argv[1], int(argv[2])
    spec = json.loads((workdir / "run.json").read_text(encoding="utf-8"))
    trap = Trap(point, nth)
    cw, sf = clients(spec, trap)
    moment = datetime.fromisoformat(spec["now"])
    options: dict[str, Any] = {
        "cw": cw,
        "sf": sf,
        "state": store(workdir / "state.db", trap),
        "config": MappingConfig.from_dict(spec["config"]),
        "now": lambda: moment,
    }
    if spec["recipe"] == "accounts_and_contacts":
        accounts_and_contacts(**options, sf_integration_user=spec["sf_integration_user"])
    else:
        leads_to_connectwise(**options)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
