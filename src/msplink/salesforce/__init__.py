"""Salesforce REST API: typed sync and async clients, OAuth strategies, SOQL builder, Collections, Bulk 2.0.

```python
from msplink.salesforce import JWTBearerAuth, SalesforceClient, soql

with SalesforceClient(auth=JWTBearerAuth(client_id=..., username=..., private_key=...)) as sf:
    for account in sf.accounts.list(where=soql.F("Industry") == "Technology"):
        print(account.name, account["CW_Company_Id__c"])
```

Wire models are in :mod:`msplink.salesforce.models`, the query builder in
:mod:`msplink.salesforce.soql`, outbound-message verification in :mod:`msplink.salesforce.webhooks`.
"""

import typing as _typing
import warnings as _warnings

from msplink.salesforce import models, soql, webhooks
from msplink.salesforce._auth import (
    DEFAULT_LOGIN_URL,
    AccessTokenAuth,
    ClientCredentialsAuth,
    FileTokenStore,
    JWTBearerAuth,
    MemoryTokenStore,
    RefreshTokenAuth,
    SalesforceAuth,
    Token,
    TokenStore,
)
from msplink.salesforce._bulk import AsyncBulk, Bulk
from msplink.salesforce._client import DEFAULT_API_VERSION, AsyncSalesforceClient, SalesforceClient
from msplink.salesforce._errors import PLATFORM, MultipleMatchesError
from msplink.salesforce._resources import (
    DEFAULT_BULK_THRESHOLD,
    AsyncCollections,
    AsyncComposite,
    AsyncSObjects,
    Collections,
    Composite,
    SObjects,
)

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_BULK_THRESHOLD",
    "DEFAULT_LOGIN_URL",
    "PLATFORM",
    "AccessTokenAuth",
    "AsyncBulk",
    "AsyncCollections",
    "AsyncComposite",
    "AsyncSObjects",
    "AsyncSalesforceClient",
    "Bulk",
    "ClientCredentialsAuth",
    "Collections",
    "Composite",
    "FileTokenStore",
    "JWTBearerAuth",
    "MemoryTokenStore",
    "MultipleMatchesError",
    "RefreshTokenAuth",
    "SObjects",
    "SalesforceAuth",
    "SalesforceClient",
    "Token",
    "TokenStore",
    "models",
    "soql",
    "webhooks",
]

_MOVED_TO_MODELS = frozenset(
    {
        "Account",
        "Case",
        "CompositeSubrequest",
        "CompositeSubresponse",
        "Contact",
        "Contract",
        "IngestResult",
        "JobInfo",
        "Lead",
        "LimitInfo",
        "Limits",
        "Opportunity",
        "RecordError",
        "SObjectDescribe",
        "SaveResult",
        "Task",
        "User",
    }
)

if _typing.TYPE_CHECKING:  # the deprecated spellings still type-check while they last
    from msplink.salesforce.models import Account as Account
    from msplink.salesforce.models import Case as Case
    from msplink.salesforce.models import CompositeSubrequest as CompositeSubrequest
    from msplink.salesforce.models import CompositeSubresponse as CompositeSubresponse
    from msplink.salesforce.models import Contact as Contact
    from msplink.salesforce.models import Contract as Contract
    from msplink.salesforce.models import IngestResult as IngestResult
    from msplink.salesforce.models import JobInfo as JobInfo
    from msplink.salesforce.models import Lead as Lead
    from msplink.salesforce.models import LimitInfo as LimitInfo
    from msplink.salesforce.models import Limits as Limits
    from msplink.salesforce.models import Opportunity as Opportunity
    from msplink.salesforce.models import RecordError as RecordError
    from msplink.salesforce.models import SaveResult as SaveResult
    from msplink.salesforce.models import SObjectDescribe as SObjectDescribe
    from msplink.salesforce.models import Task as Task
    from msplink.salesforce.models import User as User


def __getattr__(name: str) -> _typing.Any:
    """Wire models used to be re-exported here; ``msplink.salesforce.models`` is their home now."""
    if name in _MOVED_TO_MODELS:
        _warnings.warn(
            f"msplink.salesforce.{name} is deprecated: import it from msplink.salesforce.models",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
