"""``RetryPolicy``: a frozen value translated into tenacity at the edge (STYLE R28).

Which failures are retried:

* transport errors and timeouts, and statuses in ``retry_statuses`` other than 429: only when the
  call is idempotent (reads, PUT/PATCH/DELETE, writes carrying an idempotency key such as QBO
  ``requestid``), because a lost response may hide an applied write;
* 429 (throttled): also for non-idempotent calls when ``retry_rejected_writes`` is true, since the
  vendor refused the request before doing anything;
* vendor error codes the platform declares transient (Salesforce ``UNABLE_TO_LOCK_ROW``): the record
  was not written.

A ``Retry-After`` header is preferred over the backoff; one above ``max_retry_after`` is not waited
for: the :class:`~msplink.errors.RateLimitError` is raised at once.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import attrs
import tenacity

from msplink.errors import APIError, ConfigurationError, RateLimitError, TransportError

__all__ = ["RetryPolicy", "parse_retry_after"]


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 0:
        raise ConfigurationError(f"RetryPolicy.{attribute.name} must be >= 0, got {value!r}")


def _at_least_one(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ConfigurationError(f"RetryPolicy.{attribute.name} must be >= 1, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a client retries failed attempts.

    Attributes:
        max_attempts: Attempts in all, the first included (1 disables retries).
        initial_delay: First backoff delay in seconds; doubles on each retry.
        max_delay: Cap of one backoff delay.
        jitter: Random seconds (0..jitter) added to each backoff delay.
        retry_statuses: Statuses that may be retried.
        max_retry_after: A longer ``Retry-After`` raises at once instead of waiting.
        retry_rejected_writes: Retry 429 on non-idempotent calls (the vendor refused them unprocessed).
        retry_transport_errors: Retry connection failures and timeouts of idempotent calls.
        rate_limit_delay: The least wait after a throttled attempt that came without ``Retry-After``
            (QuickBooks asks for 60 s); ``0`` uses the plain backoff.
    """

    max_attempts: int = attrs.field(default=4, validator=_at_least_one)
    initial_delay: float = attrs.field(default=0.5, validator=_positive)
    max_delay: float = attrs.field(default=30.0, validator=_positive)
    jitter: float = attrs.field(default=0.5, validator=_positive)
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    max_retry_after: float = attrs.field(default=120.0, validator=_positive)
    retry_rejected_writes: bool = True
    retry_transport_errors: bool = True
    rate_limit_delay: float = attrs.field(default=0.0, validator=_positive)

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def backoff(self, attempt: int) -> float:
        """The backoff delay after failed attempt number ``attempt`` (1-based), jitter included."""
        base = min(self.max_delay, self.initial_delay * (2 ** (attempt - 1)))
        extra: float = random.uniform(0, self.jitter) if self.jitter else 0.0  # noqa: S311
        return float(min(self.max_delay, base + extra))

    def should_retry(
        self,
        exc: BaseException,
        *,
        idempotent: bool,
        transient_codes: frozenset[str] = frozenset(),
        is_transient: Callable[[APIError], bool] | None = None,
    ) -> bool:
        """Decide whether one failed attempt may be retried (the attempt budget aside).

        Args:
            exc: What the attempt raised.
            idempotent: Whether repeating the call cannot duplicate an effect.
            transient_codes: Vendor error codes that mean "refused, nothing written: try again".
            is_transient: A vendor rule for the same, when the code alone cannot tell (Salesforce sends
                ``REQUEST_LIMIT_EXCEEDED`` both for the concurrency limit and for the daily quota).
        """
        if isinstance(exc, TransportError):
            return idempotent and self.retry_transport_errors
        if not isinstance(exc, APIError):
            return False
        if (
            isinstance(exc, RateLimitError)
            and exc.retry_after is not None
            and exc.retry_after > self.max_retry_after
        ):
            return False
        if transient_codes and any(code in transient_codes for code in exc.codes):
            return True
        if is_transient is not None and is_transient(exc):
            return True
        if exc.status_code not in self.retry_statuses:
            return False
        if exc.status_code == 429:
            return idempotent or self.retry_rejected_writes
        return idempotent

    def wait_for(self, exc: BaseException | None, attempt: int) -> float:
        """Seconds to wait before the next attempt: the server's Retry-After, else the backoff."""
        if isinstance(exc, RateLimitError):
            if exc.retry_after is not None:
                return exc.retry_after
            return max(self.rate_limit_delay, self.backoff(attempt))
        return self.backoff(attempt)

    def tenacity_kwargs(
        self,
        *,
        idempotent: bool,
        transient_codes: frozenset[str],
        before_sleep: Callable[[tenacity.RetryCallState], None],
        is_transient: Callable[[APIError], bool] | None = None,
    ) -> dict[str, Any]:
        """The keyword arguments of ``tenacity.Retrying`` / ``AsyncRetrying`` for one call (no sleep)."""

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome is not None else None
            return self.wait_for(exc, state.attempt_number)

        return {
            "stop": tenacity.stop_after_attempt(self.max_attempts),
            "wait": wait,
            "retry": tenacity.retry_if_exception(
                lambda exc: self.should_retry(
                    exc, idempotent=idempotent, transient_codes=transient_codes, is_transient=is_transient
                )
            ),
            "before_sleep": before_sleep,
            "reraise": True,
        }


def parse_retry_after(value: str | None, *, now: Callable[[], datetime] | None = None) -> float | None:
    """Parse a ``Retry-After`` header: delta-seconds or an HTTP-date; ``None`` when absent or invalid."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        current = now() if now is not None else datetime.now(timezone.utc)
        return max(0.0, (when - current).total_seconds())
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return seconds
