"""CW companies -> QBO customers through the real adapters and the sandboxes (DESIGN §9 efficiency).

N ConnectWise companies (unique names and e-mails, one billing term) sync into an empty QuickBooks
company through ``ConnectWiseAdapter`` -> ``QuickBooksAdapter`` with a ``SQLiteStateStore``:

- API calls per system, from the sandboxes' own request logs (token and codebase discovery left out),
  against the platform minimum: ``ceil(N/1000)`` ConnectWise pages + ``ceil(N/30)`` QuickBooks
  ``/batch`` writes + one batched look-up per page (target <= 1.10x);
- CPU microseconds per record spent in msplink (read parsing, mapping, matching, planning, journal and
  state, request building and serialising, the HTTP client): the process time of this process, the
  sandboxes being served by a child process (``benchmarks._served``) over local sockets;
- the growth of this process's peak resident memory during the run (``ru_maxrss`` minus the resident
  memory before it; sizes run in increasing order, so each high-water mark is its own run's), at the
  largest size against 10k (target <= 1.5x): reads, plans and writes stream page by page;
- a no-change rerun: the calls it makes (one read, no look-up, no write).

``python -m benchmarks adapters`` runs 1k and 10k; ``MSPLINK_BENCH_SIZES=1000,10000,100000`` (what
``nox -s bench`` sets) adds 100k.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from benchmarks._harness import Result
from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig, find_mapper
from msplink.models import Customer
from msplink.quickbooks import QuickBooksClient
from msplink.sync import Flow, SQLiteStateStore, by_email, by_link, by_name
from msplink.sync import run as sync_run
from msplink.sync.adapters import ConnectWiseAdapter, QuickBooksAdapter
from msplink.testing import FakeClock

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("name", "email", "phone", "website", "billing_address.city", "billing_address.postal_code", "terms")


class Redirect(httpx.BaseTransport):
    """Send every request to the served sandbox, over a real socket."""

    def __init__(self, base: str) -> None:
        self.base = httpx.URL(base)
        self.inner = httpx.HTTPTransport()
        self.log: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "/oauth2/" not in request.url.path and "/login/" not in request.url.path:
            self.log.append(f"{request.method} {request.url.path}")
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@contextlib.contextmanager
def _served(n: int) -> Iterator[dict[str, Any]]:
    """The sandboxes in a child process (``benchmarks._served``): N CW companies, an empty QBO."""
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks._served", str(n)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield json.loads(child.stdout.readline())
    finally:
        child.communicate("", timeout=60)


def _sync(n: int, folder: Path) -> dict[str, Any]:
    with _served(n) as info:
        config = MappingConfig.from_dict(
            {"default_currency": "USD", "terms": {"Net 30 days": info["term_id"]}}
        )
        cw_transport, qbo_transport = Redirect(info["cw_url"]), Redirect(info["qbo_url"])
        clock = FakeClock()  # client-side rate limiters wait in virtual time: zero latency
        cw_client = ConnectWiseClient(
            **info["cw"], transport=cw_transport, sleep=clock.sleep, clock=clock.monotonic
        )
        qbo_client = QuickBooksClient(
            realm_id=info["realm_id"],
            auth=info["qbo_token"],
            transport=qbo_transport,
            sleep=clock.sleep,
            clock=clock.monotonic,
        )
        cw_mapper = find_mapper("connectwise", "company", Customer)
        qbo_mapper = find_mapper("quickbooks", "Customer", Customer)

        def flow() -> Flow:
            return Flow(
                name="cw-companies-to-qbo-customers",
                source=ConnectWiseAdapter(cw_client, cw_mapper, config=config, integration_user="api_sync"),
                target=QuickBooksAdapter(qbo_client, qbo_mapper, config=config),
                source_mapper=cw_mapper,
                target_mapper=qbo_mapper,
                config=config,
                match=(by_link(), by_email(), by_name()),
                fields=FIELDS,
            )

        store = SQLiteStateStore(folder / f"adapters-{n}.db")
        gc.collect()
        baseline = _rss()
        started = time.process_time()
        report = sync_run(flow(), state=store)
        cpu = time.process_time() - started
        peak = max(0, _peak_rss() - baseline)
        assert report.writes == n, report
        calls = {"connectwise": list(cw_transport.log), "quickbooks": list(qbo_transport.log)}
        cw_transport.log.clear()
        qbo_transport.log.clear()
        rerun = sync_run(flow(), state=store)
        assert rerun.writes == 0, rerun
        again = {"connectwise": list(cw_transport.log), "quickbooks": list(qbo_transport.log)}
        store.close()
        cw_client.close()
        qbo_client.close()
    return {"calls": calls, "rerun": again, "cpu": cpu, "peak": peak}


def _rss() -> int:
    """This process's resident memory now, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    """This process's peak resident memory so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _sizes() -> tuple[int, ...]:
    text = os.environ.get("MSPLINK_BENCH_SIZES", "1000,10000")
    return tuple(int(part) for part in text.split(",") if part.strip())


def run_benchmarks(sizes: tuple[int, ...] | None = None) -> list[Result]:
    """The adapter benchmarks at each size (also callable with small sizes from a test)."""
    results: list[Result] = []
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes or _sizes():
            measured = _sync(n, Path(tmp))
            pages = math.ceil(n / 1000)
            minimum = pages * 2 + math.ceil(n / 30)  # read pages + one look-up per page + /batch writes
            cw_calls, qbo_calls = len(measured["calls"]["connectwise"]), len(measured["calls"]["quickbooks"])
            peaks[n] = measured["peak"] / 2**20
            results += [
                Result(
                    f"adapters: CW->QBO {n:,}: API calls / platform minimum",
                    (cw_calls + qbo_calls) / minimum,
                    "ratio",
                    1.1,
                ),
                Result(
                    f"adapters: CW->QBO {n:,}: ConnectWise calls (minimum {pages})",
                    cw_calls,
                    "calls",
                    pages + 1,
                ),
                Result(
                    f"adapters: CW->QBO {n:,}: QuickBooks calls (minimum {pages + math.ceil(n / 30)})",
                    qbo_calls,
                    "calls",
                    1.1 * (pages + math.ceil(n / 30)),
                ),
                Result(
                    f"adapters: CW->QBO {n:,}: msplink CPU per record", measured["cpu"] / n * 1e6, "us", 1000
                ),
                Result(
                    f"adapters: CW->QBO {n:,}: peak memory growth (msplink process)", peaks[n], "MiB", 256
                ),
                Result(
                    f"adapters: CW->QBO {n:,}: no-change rerun, QuickBooks calls",
                    len(measured["rerun"]["quickbooks"]),
                    "calls",
                    0,
                ),
                Result(
                    f"adapters: CW->QBO {n:,}: no-change rerun, ConnectWise read pages",
                    len(measured["rerun"]["connectwise"]),
                    "calls",
                    pages + 1,
                ),
            ]
    base = 10_000 if 10_000 in peaks else min(peaks, default=0)
    for n in sorted(peaks):
        if n > base:
            results.append(
                Result(f"adapters: peak memory {n:,} / {base:,} companies", peaks[n] / peaks[base], "x", 1.5)
            )
    return results


def run() -> list[Result]:
    """The benchmark entry point for ``python -m benchmarks``."""
    return run_benchmarks()
