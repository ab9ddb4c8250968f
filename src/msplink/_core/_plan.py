"""Multi-call plans: one pure generator per operation, driven by the sync and async executors alike.

An operation that needs more than one request (a CDC read that re-reads capped entities, a batch
that resends throttled items, a Bulk job that uploads, closes and polls) is written once, as a
generator that *yields steps* and receives their results:

- a :class:`~msplink._core.Call` is executed (with auth, rate limits, retries and typed errors);
  its parsed result is sent back in, or its :class:`~msplink.errors.MsplinkError` is thrown in;
- :class:`Sleep` waits (through the client's injected sleep, so tests never wait);
- :class:`Gather` executes several calls; the async executor runs them concurrently (up to
  ``concurrency``), the sync one in order. The plan receives a tuple with, per call, its result or
  the :class:`~msplink.errors.MsplinkError` it raised, in the order the calls were given.

The generator's return value is the operation's result. ``SyncExecutor.run(plan)`` and
``await AsyncExecutor.run(plan)`` are the only drivers, so a twin method is one line and the logic
(and its docstring) exists once::

    def batch(self, ops):                       # sync client
        return self._x.run(batch_plan(ops))

    async def batch(self, ops):                 # async client
        return await self._x.run(batch_plan(ops))
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import Any, Protocol, TypeAlias, TypeVar

import attrs

from msplink._core._call import Call
from msplink.errors import ConfigurationError, MsplinkError

__all__ = ["AsyncRunner", "Gather", "Plan", "Sleep", "Step", "SyncRunner", "arun_plan", "run_plan"]

T = TypeVar("T")


class SyncRunner(Protocol):
    """What :func:`run_plan` needs of an executor."""

    @property
    def sleep(self) -> Callable[[float], object]: ...

    def execute(self, call: Call[T]) -> T: ...


class AsyncRunner(Protocol):
    """What :func:`arun_plan` needs of an async executor."""

    @property
    def sleep(self) -> Callable[[float], Awaitable[object]]: ...

    async def execute(self, call: Call[T]) -> T: ...


@attrs.frozen
class Sleep:
    """A plan step: wait ``seconds`` (through the executor's injected sleep)."""

    seconds: float


@attrs.frozen
class Gather:
    """A plan step: execute several calls; results (or errors) come back in the given order.

    Attributes:
        calls: The calls to execute.
        concurrency: At most this many in flight at once on the async executor (``None``: all of
            them, still bounded by the client's rate limiter). The sync executor runs them in order.
    """

    calls: Sequence[Call[Any]]
    concurrency: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.concurrency is not None and self.concurrency < 1:
            raise ConfigurationError("Gather.concurrency must be at least 1")


Step: TypeAlias = "Call[Any] | Sleep | Gather"
Plan: TypeAlias = Generator[Step, Any, T]


def run_plan(executor: SyncRunner, plan: Plan[T]) -> T:
    """Drive a plan on a sync executor and return its result."""
    try:
        step = next(plan)
        while True:
            try:
                if isinstance(step, Sleep):
                    executor.sleep(step.seconds)
                    result: Any = None
                elif isinstance(step, Gather):
                    result = tuple(_capture(executor.execute, call) for call in step.calls)
                else:
                    result = executor.execute(step)
            except MsplinkError as exc:
                step = plan.throw(exc)
            else:
                step = plan.send(result)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        plan.close()


async def arun_plan(executor: AsyncRunner, plan: Plan[T]) -> T:
    """Drive a plan on an async executor and return its result (``Gather`` runs concurrently)."""
    try:
        step = next(plan)
        while True:
            try:
                if isinstance(step, Sleep):
                    await executor.sleep(step.seconds)
                    result: Any = None
                elif isinstance(step, Gather):
                    result = await _gather(executor, step)
                else:
                    result = await executor.execute(step)
            except MsplinkError as exc:
                step = plan.throw(exc)
            else:
                step = plan.send(result)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        plan.close()


def _capture(execute: Any, call: Call[Any]) -> Any:
    try:
        return execute(call)
    except MsplinkError as exc:
        return exc


async def _gather(executor: AsyncRunner, step: Gather) -> tuple[Any, ...]:
    limit = asyncio.Semaphore(step.concurrency or max(1, len(step.calls)))

    async def one(call: Call[Any]) -> Any:
        async with limit:
            try:
                return await executor.execute(call)
            except MsplinkError as exc:
                return exc

    return tuple(await asyncio.gather(*(one(call) for call in step.calls)))
