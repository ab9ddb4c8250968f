"""What the subcommands share: exit codes, ``--json`` output, the state store, clients and config.

Clients come from the environment (``from_env()`` of each vendor client: ``MSPLINK_CW_*``,
``MSPLINK_QBO_*``, ``MSPLINK_SF_*``), or from a world saved by ``python -m msplink demo --workdir
DIR`` with ``--sandbox DIR`` (its sandboxes, its mapping config, its state store ``DIR/state.sqlite``;
the sandboxes' state is saved back after a command that writes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError

__all__ = [
    "EXIT_CONFIG",
    "EXIT_OK",
    "EXIT_REVIEW",
    "EXIT_STOPPED",
    "EXIT_USAGE",
    "Context",
    "add_json",
    "add_source",
    "add_state",
    "emit",
    "open_context",
    "open_state",
]

EXIT_OK: Final = 0
"""Done; nothing waits for a person."""
EXIT_REVIEW: Final = 1
"""Done, but records failed (dead letters) or conflicts wait for a person (or a check failed)."""
EXIT_USAGE: Final = 2
"""The command line is wrong (unknown subcommand, recipe or option)."""
EXIT_CONFIG: Final = 3
"""Configuration: missing credentials, no state store or saved world where one was named."""
EXIT_STOPPED: Final = 4
"""The run stopped before it finished: a guard was breached (nothing written), another process holds
the flow's lease, or an API or transport error aborted it."""

DEFAULT_STATE: Final = "msplink-state.sqlite"
STATE_FILE: Final = "state.sqlite"


def add_json(parser: argparse.ArgumentParser) -> None:
    """``--json``: one JSON document on stdout instead of text."""
    parser.add_argument("--json", action="store_true", help="print JSON for scripts instead of text")


def add_state(parser: argparse.ArgumentParser) -> None:
    """``--state PATH`` and ``--sandbox DIR``."""
    parser.add_argument(
        "--state",
        metavar="PATH",
        help=f"the SQLite state store (default: $MSPLINK_STATE, else {DEFAULT_STATE}; with --sandbox: "
        f"DIR/{STATE_FILE})",
    )
    parser.add_argument(
        "--sandbox",
        metavar="DIR",
        help="use the world saved by 'python -m msplink demo --workdir DIR' instead of real accounts",
    )


def add_source(parser: argparse.ArgumentParser) -> None:
    """``--state``, ``--sandbox`` and ``--config PATH`` (a MappingConfig in TOML)."""
    add_state(parser)
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="the MappingConfig as TOML (default: $MSPLINK_MAPPING_CONFIG; with --sandbox: the world's)",
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if attrs.has(type(value)):
        return _plain(attrs.asdict(value, recurse=False))
    return value


def emit(args: argparse.Namespace, data: Any, text: str | Sequence[str]) -> None:
    """Print ``data`` as JSON with ``--json``, else ``text`` (a string or lines)."""
    if getattr(args, "json", False):
        json.dump(_plain(data), sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        sys.stdout.write((text if isinstance(text, str) else "\n".join(text)) + "\n")


def _state_path(args: argparse.Namespace) -> Path:
    if args.state:
        return Path(args.state)
    if getattr(args, "sandbox", None):
        return Path(args.sandbox) / STATE_FILE
    return Path(os.environ.get("MSPLINK_STATE") or DEFAULT_STATE)


def open_state(args: argparse.Namespace, *, create: bool = False) -> Any:
    """The SQLite state store the arguments name.

    Raises:
        ConfigurationError: It does not exist and ``create`` is false (a listing of nothing would
            hide a wrong path).
    """
    from msplink.sync import SQLiteStateStore

    path = _state_path(args)
    sandbox = getattr(args, "sandbox", None)
    if sandbox and not args.state and (Path(sandbox) / "world.json").exists():
        create = True  # a saved world before its first sync: its (empty) state belongs beside it
    if not create and not path.exists():
        raise ConfigurationError(f"no state store at {path} (name one with --state PATH or --sandbox DIR)")
    return SQLiteStateStore(path)


@attrs.frozen
class Context:
    """Clients, config and state for a command: ``cw``, ``qbo``, ``sf`` (sync clients, ``None`` when
    not configured), the ``MappingConfig``, the state store, the saved world (``--sandbox``) and its
    clock (``now``)."""

    cw: Any
    qbo: Any
    sf: Any
    config: Any
    state: Any
    world: Any = None

    @property
    def now(self) -> Any:
        """The clock recipes should read (the saved world's; ``None``: the system clock)."""
        return self.world.clock.now if self.world is not None else None


def _config(args: argparse.Namespace, default: Any) -> Any:
    from msplink.mappers import MappingConfig

    path = getattr(args, "config", None) or os.environ.get("MSPLINK_MAPPING_CONFIG")
    if path:
        return MappingConfig.from_toml(path)
    return default if default is not None else MappingConfig()


_FROM_ENV: Final = {
    "connectwise": ("msplink.connectwise", "ConnectWiseClient", "cw"),
    "quickbooks": ("msplink.quickbooks", "QuickBooksClient", "qbo"),
    "salesforce": ("msplink.salesforce", "SalesforceClient", "sf"),
}


@contextlib.contextmanager
def open_context(
    args: argparse.Namespace, systems: Sequence[str], *, save: bool = False
) -> Iterator[Context]:
    """Clients for ``systems``, the config and the state store; closed (and the world saved back
    when ``save``) on exit.

    Raises:
        ConfigurationError: A client's environment variables are missing, or no world is saved in
            ``--sandbox DIR``.
    """
    import importlib

    if getattr(args, "sandbox", None):
        from msplink.sandbox import load_world

        try:
            world = load_world(args.sandbox)
        except ValueError as exc:
            raise ConfigurationError(f"{exc} (save one with: python -m msplink demo --workdir DIR)") from None
        state = open_state(args, create=True)
        try:
            with world.clients() as c:
                yield Context(c.cw, c.qbo, c.sf, _config(args, world.config), state, world)
        finally:
            state.close()
            if save:
                world.save(args.sandbox)
        return
    clients: dict[str, Any] = {"cw": None, "qbo": None, "sf": None}
    with contextlib.ExitStack() as stack:
        for system in systems:
            module, name, key = _FROM_ENV[system]
            client = getattr(importlib.import_module(module), name).from_env()
            clients[key] = stack.enter_context(client)
        state = open_state(args, create=True)
        stack.callback(state.close)
        yield Context(clients["cw"], clients["qbo"], clients["sf"], _config(args, None), state)
