"""Serve a seeded world's three sandboxes over HTTP from a child process.

``python -m benchmarks._serve SIZE SEED [--no-limits] [--latency=SECONDS] [--procurement]`` seeds
``seed_world(SIZE, seed=SEED, procurement=...)``, serves
ConnectWise, QuickBooks and Salesforce with uvicorn on three loopback ports, prints one JSON line
(the URLs, every credential, the mapping config, the world's clock) and serves until stdin closes.
Used where the measuring process must hold none of the sandboxes' memory or CPU (peak memory of
a recipe run) and where the peers, which talk HTTP through ``requests``, need a server.

The world's clock is a fake one that only moves when told; with nothing advancing it, a rate
window would never reopen, so ``--no-limits`` turns the vendors' limits off (memory runs, peers). ``--latency`` makes every
request wait that long (really, with ``asyncio.sleep``) inside the server.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


async def _serve(world: Any) -> None:
    import uvicorn

    servers = []
    for sandbox in (world.cw, world.qbo, world.sf):
        config = uvicorn.Config(sandbox, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        servers.append(uvicorn.Server(config))
    tasks = [asyncio.create_task(s.serve()) for s in servers]
    while not all(s.started for s in servers):  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    ports = [s.servers[0].sockets[0].getsockname()[1] for s in servers]
    creds = {"cw": world.cw.credentials(), "qbo": world.qbo.credentials(), "sf": world.sf.credentials()}
    spec = {
        "urls": {
            name: f"http://127.0.0.1:{port}" for name, port in zip(("cw", "qbo", "sf"), ports, strict=True)
        },
        "credentials": creds,
        "realm_id": world.qbo.realm_id,
        "config": world.config.to_dict(),
        "now": world.clock.now().isoformat(),
        "size": world.size,
    }
    print(json.dumps(spec, default=str), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    threading.Thread(
        target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)), daemon=True
    ).start()
    await stop.wait()
    for s in servers:
        s.should_exit = True
    await asyncio.gather(*tasks)


def main(argv: list[str]) -> int:
    """Seed and serve (see the module docstring)."""
    from msplink.sandbox import FaultKind, seed_world

    size, seed = int(argv[0]), int(argv[1])
    world = seed_world(size, seed=seed, procurement="--procurement" in argv)
    if "--no-limits" in argv:
        for sandbox in (world.cw, world.qbo, world.sf):
            sandbox.enforce_rate_limits = False
    latency = next((float(a.split("=", 1)[1]) for a in argv if a.startswith("--latency=")), 0.0)
    for sandbox in (world.cw, world.qbo, world.sf):
        sandbox.raise_internal_errors = False
        if latency > 0:
            sandbox._async_sleep = asyncio.sleep
            sandbox.faults.inject(FaultKind.LATENCY, latency=latency)
    asyncio.run(_serve(world))
    return 0


@contextmanager
def served(
    size: int, seed: int, *, limits: bool = True, latency: float = 0.0, procurement: bool = False
) -> Iterator[dict[str, Any]]:
    """Start the child, yield its spec, stop it."""
    args = [sys.executable, "-m", "benchmarks._serve", str(size), str(seed), f"--latency={latency}"]
    if not limits:
        args.append("--no-limits")
    if procurement:
        args.append("--procurement")
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox server did not start")
        yield json.loads(line)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


_AUTH = ("/oauth2/", "/login/")


class Redirect(httpx.BaseTransport):
    """Send every request to a served sandbox, whatever host the client was configured with.

    Attributes:
        api_calls: Requests sent (token requests left out).
    """

    def __init__(self, base: str) -> None:
        self.base = httpx.URL(base)
        self.inner = httpx.HTTPTransport()
        self.api_calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Rewrite scheme, host and port; send."""
        self.api_calls += not any(a in request.url.path for a in _AUTH)
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        """Close the connection pool."""
        self.inner.close()


class AsyncRedirect(httpx.AsyncBaseTransport):
    """The async twin of :class:`Redirect`."""

    def __init__(self, base: str) -> None:
        self.base = httpx.URL(base)
        self.inner = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=50))
        self.api_calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Rewrite scheme, host and port; send."""
        self.api_calls += not any(a in request.url.path for a in _AUTH)
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.inner.aclose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
