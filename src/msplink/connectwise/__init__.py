"""ConnectWise Manage (PSA) REST API 3.0: typed sync and async clients.

::

    from msplink.connectwise import ConnectWiseClient
    from msplink.connectwise.conditions import C

    with ConnectWiseClient.from_env() as cw:
        for company in cw.companies.list(where=C.deleted_flag.is_false()):
            print(company.identifier, company.name)

Wire models are in :mod:`msplink.connectwise.models`, the query builder in
:mod:`msplink.connectwise.conditions`, callback verification in :mod:`msplink.connectwise.webhooks`.
"""

from msplink.connectwise import conditions, models, webhooks
from msplink.connectwise._auth import ConnectWiseAuth
from msplink.connectwise._calls import Watermark
from msplink.connectwise._client import DEFAULT_API_VERSION, AsyncConnectWiseClient, ConnectWiseClient
from msplink.connectwise._tenant import SITES
from msplink.connectwise.webhooks import (
    AsyncCallbackVerifier,
    CallbackDelivery,
    CallbackVerificationError,
    CallbackVerifier,
)

__all__ = [
    "DEFAULT_API_VERSION",
    "SITES",
    "AsyncCallbackVerifier",
    "AsyncConnectWiseClient",
    "CallbackDelivery",
    "CallbackVerificationError",
    "CallbackVerifier",
    "ConnectWiseAuth",
    "ConnectWiseClient",
    "Watermark",
    "conditions",
    "models",
    "webhooks",
]
