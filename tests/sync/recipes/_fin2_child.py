"""Child process of the finance recipes' SIGKILL tests, on the harness of
``tests/sync/_sigkill_recipe_child.py`` (its ``Trap``, ``Wrapped``, ``Redirect`` and state-store proxy).

``python -m tests.sync.recipes._fin2_child WORKDIR POINT NTH`` reads ``WORKDIR/run.json`` (the recipe's
name, the served sandboxes' URLs and credentials, the config, the world's clock and day), runs the
recipe once with ``WORKDIR/state.db`` and SIGKILLs itself the ``NTH`` time the point is reached. Exit
code 3: the point was never reached. Points, besides the harness's ``store.<method>:before|after`` and
``qbo.lookup`` / ``qbo.write:before|after`` (``/batch``):

- ``cw.payment:after``: a ConnectWise invoice payment was created, its answer lost with the process;
- ``cw.read``: a read of CW purchase orders or agreements is about to be sent;
- ``qbo.template:after``: a QuickBooks recurring template was written, its answer lost.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sync.recipes import RECIPES
from tests.sync._sigkill_recipe_child import Redirect, Trap, Wrapped, _around, _batch, store


def _child_resource(trap: Trap, point: str, method: str) -> Callable[[Any], Any]:
    """A hook for ``resource.children(id)``: the child resource's ``method`` passes through the trap."""

    def hook(children: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            return Wrapped(children(*args), {method: _around(trap, point, before=False, after=True)})

        return call

    return hook


def clients(spec: dict[str, Any], trap: Trap) -> tuple[Any, Any]:
    """The two clients over HTTP, wrapped in the trap."""
    cw = ConnectWiseClient(**spec["cw"], transport=Redirect(spec["cw_url"]), sleep=lambda _s: None)
    qbo = QuickBooksClient(
        realm_id=spec["realm_id"],
        auth=spec["qbo_token"],
        transport=Redirect(spec["qbo_url"]),
        sleep=lambda _s: None,
    )
    invoices = Wrapped(cw.invoices, {"payments": _child_resource(trap, "cw.payment", "create")})
    orders = Wrapped(cw.purchase_orders, {"list": _around(trap, "cw.read")})
    agreements = Wrapped(cw.agreements, {"list": _around(trap, "cw.read")})
    templates = Wrapped(
        qbo.recurring_transactions, {"create": _around(trap, "qbo.template", before=False, after=True)}
    )
    wrapped_cw = Wrapped(
        cw,
        {
            "invoices": lambda _v: invoices,
            "purchase_orders": lambda _v: orders,
            "agreements": lambda _v: agreements,
        },
    )
    wrapped_qbo = Wrapped(qbo, {"batch": _batch(trap), "recurring_transactions": lambda _v: templates})
    return wrapped_cw, wrapped_qbo


def main(argv: list[str]) -> int:
    workdir, point, nth = Path(argv[0]), argv[1], int(argv[2])
    spec = json.loads((workdir / "run.json").read_text(encoding="utf-8"))
    trap = Trap(point, nth)
    cw, qbo = clients(spec, trap)
    moment = datetime.fromisoformat(spec["now"])
    options: dict[str, Any] = {}
    if spec["recipe"] in ("payments_to_connectwise", "agreements_to_quickbooks"):
        options["today"] = date.fromisoformat(spec["today"])
    RECIPES[spec["recipe"]].run(
        cw=cw,
        qbo=qbo,
        state=store(workdir / "state.db", trap),
        config=MappingConfig.from_dict(spec["config"]),
        now=lambda: moment,
        **options,
    )
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
