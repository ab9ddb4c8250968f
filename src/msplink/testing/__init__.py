"""Helpers for testing code that uses msplink: a route-table MockTransport, vcr config, a fake clock,
and an adapter that runs an async client through a sync test body."""

from msplink.testing._clock import FakeClock
from msplink.testing._router import MockRoute, MockRouter, UnmatchedRequestError
from msplink.testing._twins import SyncAdapter, SyncPages
from msplink.testing._vcr import FAKE_REALM_ID, SCRUBBED, scrub_request, scrub_response, vcr_config

__all__ = [
    "FAKE_REALM_ID",
    "SCRUBBED",
    "FakeClock",
    "MockRoute",
    "MockRouter",
    "SyncAdapter",
    "SyncPages",
    "UnmatchedRequestError",
    "scrub_request",
    "scrub_response",
    "vcr_config",
]
