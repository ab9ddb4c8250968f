"""Async-only behaviour: concurrent first calls share one codebase discovery."""

from __future__ import annotations

import asyncio

from msplink.connectwise import AsyncConnectWiseClient
from msplink.connectwise import models as m
from msplink.sandbox.connectwise import ConnectWiseSandbox


def test_concurrent_first_calls_discover_once(sandbox: ConnectWiseSandbox) -> None:
    for i in range(3):
        sandbox.insert("companies", {"identifier": f"A{i}", "name": f"A {i}"})

    async def run() -> list[int]:
        async with AsyncConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport()) as cw:
            counts = await asyncio.gather(*(cw.companies.count() for _ in range(5)))
            items = [c async for c in cw.companies.list(page_size=2)]
            created = await cw.companies.create(m.Company(identifier="ASYNC", name="Async"))
            assert created.id is not None
            await cw.companies.delete(created.id)
            return [*counts, len(items)]

    assert asyncio.run(run()) == [3, 3, 3, 3, 3, 3]
    assert sandbox.count("GET", r"/login/companyinfo/") == 1
