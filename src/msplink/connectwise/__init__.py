"""ConnectWise Manage (PSA) REST API 3.0: typed sync and async clients.

::

    from msplink.connectwise import ConnectWiseClient
    from msplink.connectwise.conditions import C

    with ConnectWiseClient.from_env() as cw:
        for company in cw.companies.list(conditions=C.deleted_flag.is_false()):
            print(company.identifier, company.name)

Wire models are in :mod:`msplink.connectwise.models`, the query builder in
:mod:`msplink.connectwise.conditions`, callback verification in :mod:`msplink.connectwise.webhooks`.
"""

from msplink.connectwise import conditions, models, webhooks
from msplink.connectwise._auth import ConnectWiseAuth
from msplink.connectwise._calls import Watermark
from msplink.connectwise._client import AsyncConnectWiseClient, ConnectWiseClient
from msplink.connectwise._errors import PLATFORM, parse_error_body
from msplink.connectwise._resources import AsyncCallbacks, AsyncResource, Callbacks, Resource
from msplink.connectwise._site import DEFAULT_API_VERSION, DEFAULT_CODEBASE, SITES, normalize_site
from msplink.connectwise.webhooks import CallbackDelivery, CallbackVerificationError, CallbackVerifier

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_CODEBASE",
    "PLATFORM",
    "SITES",
    "AsyncCallbacks",
    "AsyncConnectWiseClient",
    "AsyncResource",
    "CallbackDelivery",
    "CallbackVerificationError",
    "CallbackVerifier",
    "Callbacks",
    "ConnectWiseAuth",
    "ConnectWiseClient",
    "Resource",
    "Watermark",
    "conditions",
    "models",
    "normalize_site",
    "parse_error_body",
    "webhooks",
]
